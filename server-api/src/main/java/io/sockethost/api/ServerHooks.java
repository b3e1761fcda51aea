package io.sockethost.api;

import java.net.SocketAddress;

import org.pf4j.ExtensionPoint;

/**
 * Server-wide policy a plugin may supply, named by a server's {@code hooks} field in the descriptor:
 * Python's {@code verify_request}, {@code handle_error}, {@code handle_timeout} and
 * {@code service_actions}, which Python programmers override on the server class.
 *
 * <p>One instance per server, made once through the public no-argument constructor, and the class must be
 * annotated {@code @org.pf4j.Extension}. Methods may be called from several threads at once (with
 * {@code threading} concurrency), so implementations must be thread-safe. Every method has a default, so
 * implement only what you need. An exception thrown from a hook is logged and otherwise ignored: a hook
 * can never stop a server.
 */
public interface ServerHooks extends ExtensionPoint {

    /**
     * Decides whether to serve a client, before any handler instance is made. Called after the
     * descriptor's {@code verify} allow/deny rules have accepted the client.
     *
     * @param server the server
     * @param client the client's address
     * @return false to close the connection (or drop the datagram) without serving it
     */
    default boolean verifyRequest(ServerContext server, SocketAddress client) {
        return true;
    }

    /**
     * Called after a request's handler threw an {@link Exception}, once the host has logged it with server,
     * client and stack: Python's {@code handle_error}. It runs for every exception of {@code setup},
     * {@code handle} and {@code finish}, a client's reset of the connection and a read timeout included
     * (those two are logged at debug and info level only). An {@link Error} does not reach it, as
     * {@code SystemExit} does not reach Python's. With {@code forking} it runs in the worker process.
     *
     * @param server the server
     * @param client the client whose request failed
     * @param error what the handler threw
     */
    default void handleError(ServerContext server, SocketAddress client, Throwable error) {
    }

    /**
     * Called on the server's accept thread when no request has arrived for the server's {@code timeout}
     * (the descriptor field; never when it is absent), and again after each further {@code timeout}
     * without one: Python's {@code handle_timeout}. Keep it short, as {@link #serviceActions}.
     *
     * @param server the server
     */
    default void handleTimeout(ServerContext server) {
    }

    /**
     * Called on the server's accept thread once per turn of the serve loop, at least every
     * {@code pollInterval}. Keep it short: the server accepts nothing while it runs.
     *
     * @param server the server
     */
    default void serviceActions(ServerContext server) {
    }
}
