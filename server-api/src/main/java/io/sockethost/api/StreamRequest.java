package io.sockethost.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A connection on a stream transport ({@code tcp}, {@code unix-stream}): Python's
 * {@code StreamRequestHandler.rfile} and {@code wfile}.
 *
 * <p>{@link #input()} is buffered; a read blocks until data arrives, the client closes (end of stream)
 * or the read timeout passes ({@link java.net.SocketTimeoutException}). {@link #output()} is buffered:
 * call {@code flush()} when a reply must leave now; the host flushes it after {@code finish} and then
 * closes the connection. Handlers should not close either stream; if they do, the connection is closed.
 * Not thread-safe: use from the handler's thread only.
 */
public non-sealed interface StreamRequest extends Request {

    /** {@return the buffered stream of bytes from the client; the same object on every call} */
    InputStream input();

    /** {@return the buffered stream of bytes to the client; the same object on every call} */
    OutputStream output();

    /**
     * Changes how long a read on {@link #input()} may block, for the rest of this connection. The
     * descriptor's {@code timeout} sets the initial value (none by default).
     *
     * @param timeout the new limit; {@link Duration#ZERO} means wait forever
     * @throws java.io.UncheckedIOException if the socket rejects the option
     */
    void setReadTimeout(Duration timeout);
}
