package io.sockethost.core.concurrency;

import java.nio.ByteBuffer;

/**
 * A received datagram. A dispatcher that serves it in another process passes {@link #payload()} and
 * {@link #client()} on, gets the handler's reply back and sends it with {@link #reply}, from the server's own
 * socket, so that the client hears from the address it wrote to (Python's forked child replies through the
 * server's socket, which it inherits). Owned by the thread serving it.
 */
public interface IncomingDatagram extends IncomingRequest {

    /** {@return the datagram's bytes, as received (truncated to {@code maxPacketSize}); read-only} */
    ByteBuffer payload();

    /**
     * Sends {@code reply} to the datagram's sender from the server's socket; a failure to send is logged and
     * goes to the server's {@code handleError} hook, as in {@link #serve()}. Never throws.
     */
    void reply(ByteBuffer reply);
}
