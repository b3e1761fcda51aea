package io.sockethost.core.server;

import java.net.SocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.core.events.ServerEvents;

/**
 * Python's {@code finish_request} and {@code handle_error}: runs a handler's steps in order (finish after
 * handle even when handle throws, nothing after a failed setup) and reports what went wrong with server
 * and client. Stateless apart from the server's hooks; thread-safe.
 */
final class RequestLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RequestLifecycle.class);

    /** One handler instance bound to one request. */
    interface Steps {
        void setup() throws Exception;

        void handle() throws Exception;

        void finish() throws Exception;
    }

    private final ServerContext server;
    private final ServerHooks hooks;
    private ServerEvents events = ServerEvents.NONE;

    RequestLifecycle(ServerContext server, ServerHooks hooks) {
        this.server = server;
        this.hooks = hooks;
    }

    /** Set by the server before it opens (see {@code SocketServer#observe}). */
    void observe(ServerEvents events) {
        this.events = events;
    }

    /**
     * Runs setup, then handle, then finish (also when handle threw); a failure is logged and goes to the
     * plugin's {@code handleError} hook.
     *
     * @return true if the request reached its end: setup and finish completed. As in Python, whose
     *     {@code finish()} runs in a {@code finally} and sends what the handler wrote, a failure of
     *     {@code handle} alone leaves the reply to be sent.
     */
    boolean run(SocketAddress client, Steps steps) {
        long started = System.nanoTime();
        try {
            return runSteps(client, steps);
        } finally {
            events.served(System.nanoTime() - started);
        }
    }

    private boolean runSteps(SocketAddress client, Steps steps) {
        try {
            steps.setup();
        } catch (Throwable t) {
            failed(client, "setup", t);
            return false;
        }
        Throwable failure = null;
        try {
            steps.handle();
        } catch (Throwable t) {
            failure = t;
        }
        boolean finished = false;
        try {
            steps.finish();
            finished = true;
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            } else {
                failure.addSuppressed(t);
            }
        }
        if (failure != null) {
            failed(client, "handle", failure);
        }
        return finished;
    }

    /**
     * Logs a failure of one request and passes it to the plugin's {@code handleError} hook, as Python's
     * {@code handle_error} sees every exception of a request; the server goes on. A client that reset or
     * closed the connection is logged at debug level and a read timeout at info, but both still reach the
     * hook. Errors (not Exceptions) bypass the hook, as {@code SystemExit} bypasses Python's.
     */
    void failed(SocketAddress client, String step, Throwable error) {
        if (error instanceof Error) {
            events.handlerFailed();
            log.error("server {}: fatal error in {} for client {}; the request is abandoned", server.name(), step, client, error);
            if (error instanceof VirtualMachineError vm && !(vm instanceof OutOfMemoryError || vm instanceof StackOverflowError)) {
                throw vm;
            }
            return;
        }
        if (Disconnects.isClientDisconnect(error)) {
            log.debug("server {}: client {} disconnected during {}: {}", server.name(), client, step, error.toString());
        } else if (error instanceof java.net.SocketTimeoutException) {
            log.info("server {}: client {} sent nothing within the read timeout; closing the connection", server.name(), client);
        } else {
            events.handlerFailed();
            log.error("server {}: {} failed for client {}", server.name(), step, client, error);
        }
        try {
            hooks.handleError(server, client, error);
        } catch (RuntimeException hookFailure) {
            log.error("server {}: handleError hook failed", server.name(), hookFailure);
        }
    }

    /** Asks the plugin's hook whether to serve a client; a failing hook refuses. */
    boolean verify(SocketAddress client) {
        try {
            return hooks.verifyRequest(server, client);
        } catch (RuntimeException e) {
            log.error("server {}: verifyRequest hook failed for client {}; refusing it", server.name(), client, e);
            return false;
        }
    }

    void serviceActions() {
        try {
            hooks.serviceActions(server);
        } catch (RuntimeException e) {
            log.error("server {}: serviceActions hook failed", server.name(), e);
        }
    }

    void handleTimeout() {
        try {
            hooks.handleTimeout(server);
        } catch (RuntimeException e) {
            log.error("server {}: handleTimeout hook failed", server.name(), e);
        }
    }
}
