package io.sockethost.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A connection on a stream transport ({@code tcp}, {@code unix-stream}): Python's
 * {@code StreamRequestHandler.rfile} and {@code wfile}.
 *
 * <p>{@link #input()} is buffered; a read blocks until data arrives, the client closes (end of stream)
 * or the read timeout passes ({@link java.net.SocketTimeoutException}). {@link #output()} is buffered,
 * and the buffer leaves when it is full, when the handler calls {@code flush()}, after {@code finish}
 * (before the host closes the connection), and <em>before a read on {@link #input()} would block</em>:
 * no read waits for the client while output is pending, as C's stdio flushes stdout before it reads a
 * terminal. So a handler ported from Python, whose {@code wfile} is unbuffered, may write a prompt and then
 * read the answer without a {@code flush()}; while the client's next bytes are already there, the output
 * stays batched. A write that fails in such a flush (the client has gone) is thrown by the read.
 * Handlers should not close either stream; if they do, the connection is closed. Not thread-safe: use
 * from the handler's thread only.
 */
public non-sealed interface StreamRequest extends Request {

    /** {@return the buffered stream of bytes from the client; the same object on every call} */
    InputStream input();

    /**
     * {@return the buffered stream of bytes to the client, flushed before a read on {@link #input()} waits;
     *     the same object on every call}
     */
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
