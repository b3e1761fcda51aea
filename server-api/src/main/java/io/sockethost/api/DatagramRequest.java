package io.sockethost.api;

import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One datagram on a datagram transport ({@code udp}, {@code unix-datagram}): Python's
 * {@code DatagramRequestHandler.rfile} and {@code wfile}.
 *
 * <p>As in Python, whatever the handler writes to {@link #output()} is sent back to the client as one
 * datagram after {@code finish} returns, even when nothing was written (an empty datagram), unless the
 * handler calls {@link #discardReply()}. This holds also when {@code handle} throws: Python's
 * {@code finish()} runs in a {@code finally} and sends what {@code wfile} holds, so a handler that
 * failed half-way sends what it wrote so far, and the exception goes to the server's
 * {@link ServerHooks#handleError} hook. No reply is sent when {@code setup} or {@code finish} throws.
 * Not thread-safe: use from the handler's thread only.
 */
public non-sealed interface DatagramRequest extends Request {

    /**
     * {@return the datagram's bytes, read-only, positioned at 0 with the datagram's length as limit; at
     *     most the server's {@code maxPacketSize} bytes (longer datagrams are truncated, as in Python)}
     */
    ByteBuffer payload();

    /** {@return the reply buffer, sent to {@link #clientAddress()} as one datagram after {@code finish}} */
    OutputStream output();

    /** Sends no reply for this datagram, not even an empty one. */
    void discardReply();
}
