package io.sockethost.api;

import org.pf4j.ExtensionPoint;

/**
 * Serves one connection on a stream transport: Python's {@code StreamRequestHandler}.
 *
 * <p>Contract:
 * <ul>
 *   <li>The implementing class is public, has a public no-argument constructor and is annotated
 *       {@code @org.pf4j.Extension}. The host makes a <em>new instance per connection</em>, so fields may
 *       hold per-connection state without synchronisation.</li>
 *   <li>The host calls {@link #setup}, then {@link #handle}, then {@link #finish}, all on one thread.
 *       {@code finish} runs even when {@code handle} throws; neither runs when {@code setup} throws.</li>
 *   <li>Any {@link Exception} thrown ends this connection only: the host logs it with the server and the
 *       client, passes it to the server's {@link ServerHooks#handleError} hook and goes on serving. An
 *       {@link Error} is logged and ends the connection the same way, without the hook. A client that resets
 *       the connection is logged at debug level (and still reaches the hook).</li>
 *   <li>With {@code threading} concurrency many instances run at once on different threads; anything
 *       shared between instances (static fields) must be thread-safe.</li>
 *   <li>Returning from {@code finish} ends the connection: the host flushes the output and closes the
 *       socket. Handlers never close the socket themselves.</li>
 * </ul>
 */
public interface StreamHandler extends ExtensionPoint {

    /**
     * Prepares for the connection, before {@link #handle}. Does nothing by default.
     *
     * @param request the connection
     * @throws Exception to refuse the connection; {@code handle} and {@code finish} are then skipped
     */
    default void setup(StreamRequest request) throws Exception {
    }

    /**
     * Serves the connection: read from {@link StreamRequest#input()}, write to
     * {@link StreamRequest#output()}, return when done.
     *
     * @param request the connection
     * @throws Exception on any failure; it is logged and the connection closed
     */
    void handle(StreamRequest request) throws Exception;

    /**
     * Cleans up after {@link #handle}, also when it threw. Does nothing by default.
     *
     * @param request the connection
     * @throws Exception on any failure; it is logged and the connection closed
     */
    default void finish(StreamRequest request) throws Exception {
    }
}
