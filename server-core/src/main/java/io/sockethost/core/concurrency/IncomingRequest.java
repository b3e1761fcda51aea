package io.sockethost.core.concurrency;

import java.net.SocketAddress;

/**
 * One request a server has taken in (an accepted connection or a received datagram), as its
 * {@link RequestDispatcher} sees it. {@link #serve()} is Python's {@code finish_request} followed by
 * {@code shutdown_request}: it runs the handler here and releases the request. A dispatcher that serves the
 * request elsewhere (a worker process) calls {@link #close()} instead once it is done.
 */
public interface IncomingRequest extends RunningRequest {

    /** {@return the client, as handlers see it} */
    SocketAddress client();

    /** Serves the request on the calling thread and releases it; never throws. */
    void serve();

    /**
     * Turns the request away because the server has no room for it: a connection gets the server's busy
     * reply (if it has one) and is closed at once, a datagram is dropped; either is logged, rate-limited.
     * Never throws.
     */
    void refuse();

    /** Releases the request without serving it (again); idempotent, never throws. */
    @Override
    void close();
}
