package io.sockethost.api;

import org.pf4j.ExtensionPoint;

/**
 * Serves one datagram on a datagram transport: Python's {@code DatagramRequestHandler}.
 *
 * <p>The contract is that of {@link StreamHandler}, per datagram instead of per connection: a new
 * instance per datagram made through the public no-argument constructor; {@link #setup},
 * {@link #handle}, {@link #finish} on one thread; {@code finish} runs even when {@code handle} throws;
 * exceptions are logged with server and client, passed to {@link ServerHooks#handleError}, and the server
 * goes on. After {@code finish} returns, the host sends the content of {@link DatagramRequest#output()} back
 * to the client, also when {@code handle} threw (see {@link DatagramRequest} for when it does not).
 */
public interface DatagramHandler extends ExtensionPoint {

    /**
     * Prepares for the datagram. Does nothing by default.
     *
     * @param request the datagram
     * @throws Exception to drop the datagram; {@code handle} and {@code finish} are then skipped
     */
    default void setup(DatagramRequest request) throws Exception {
    }

    /**
     * Serves the datagram: read {@link DatagramRequest#payload()}, write the reply to
     * {@link DatagramRequest#output()}.
     *
     * @param request the datagram
     * @throws Exception on any failure; it is logged and passed to the server's {@code handleError} hook, and
     *     what was written to the output so far is still sent after {@code finish}
     */
    void handle(DatagramRequest request) throws Exception;

    /**
     * Cleans up after {@link #handle}, also when it threw. Does nothing by default.
     *
     * @param request the datagram
     * @throws Exception on any failure; it is logged, passed to the server's {@code handleError} hook, and no
     *     reply is sent
     */
    default void finish(DatagramRequest request) throws Exception {
    }
}
