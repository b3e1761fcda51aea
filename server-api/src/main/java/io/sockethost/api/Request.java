package io.sockethost.api;

import java.net.SocketAddress;

/**
 * One request as a handler sees it: Python's {@code self.request}, {@code self.client_address} and
 * {@code self.server} in one object.
 *
 * <p>A request belongs to the single thread that runs its handler's {@code setup}, {@code handle} and
 * {@code finish}; it is not thread-safe and must not be used after {@code finish} returns. The host owns
 * the underlying socket and releases it after {@code finish}.
 */
public sealed interface Request permits StreamRequest, DatagramRequest {

    /**
     * {@return the peer: an {@link java.net.InetSocketAddress} on {@code tcp}/{@code udp}; on Unix
     *     transports the client's socket address, which is unnamed (empty path) when the client did not bind}
     */
    SocketAddress clientAddress();

    /** {@return the server that received the request} */
    ServerContext server();
}
