package io.sockethost.api;

/**
 * The one exception type of the API: the host could not do what a plugin asked, for a reason the plugin
 * author or the operator must fix (for example settings that do not bind to the requested type).
 *
 * <p>Handlers may throw it too; like any exception from a handler, it ends the request, is logged with
 * the server and client, and the server goes on serving.
 */
public class SockethostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the server and the field where there is one
     */
    public SockethostException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying error
     */
    public SockethostException(String message, Throwable cause) {
        super(message, cause);
    }
}
