package io.sockethost.core.concurrency;

import java.nio.channels.SocketChannel;

/**
 * An accepted connection. A dispatcher that serves it in another process passes {@link #channel()} on and
 * then {@link #close()}s the request, which releases what the server holds for it (per-client counts, the
 * host's copy of the socket).
 */
public interface IncomingConnection extends IncomingRequest {

    /** {@return the connection's channel, owned by the request: never close it directly} */
    SocketChannel channel();
}
