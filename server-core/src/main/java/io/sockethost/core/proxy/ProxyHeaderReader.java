package io.sockethost.core.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Collects one connection's PROXY protocol header as its bytes arrive, reading only the header's own bytes
 * (see {@link ProxyHeaderParser#bytesNeeded}): what the client sent after it stays in the socket. Used by one
 * thread at a time; not thread-safe.
 */
public final class ProxyHeaderReader {
    private byte[] buffer = new byte[ProxyHeaderParser.SHORTEST];
    private int filled;

    /**
     * Reads what has arrived of the header without waiting (on a non-blocking channel).
     *
     * @return the header once it is whole, or null while more is to come
     * @throws ProxyHeaderException if the bytes are not a valid header, or the input ends inside it
     * @throws IOException if reading fails
     */
    public ProxyHeader read(ReadableByteChannel channel) throws IOException {
        while (true) {
            int needed = ProxyHeaderParser.bytesNeeded(buffer, filled);
            if (needed == 0) {
                return ProxyHeaderParser.parse(buffer, filled);
            }
            if (buffer.length < filled + needed) {
                buffer = Arrays.copyOf(buffer, Math.max(filled + needed, Math.min(2 * buffer.length, filled + needed + 64)));
            }
            int n = channel.read(ByteBuffer.wrap(buffer, filled, needed));
            if (n < 0) {
                throw new ProxyHeaderException("the connection ended " + (filled == 0 ? "before the PROXY protocol header"
                        : "inside the PROXY protocol header, after " + filled + " bytes"));
            }
            if (n == 0) {
                return null;
            }
            filled += n;
        }
    }

    /**
     * Reads the whole header from a connection within {@code timeout}, waiting on the calling thread; the
     * channel is left in blocking mode.
     *
     * @throws ProxyHeaderException if it is not a valid header, the input ends inside it, or it is not whole in time
     * @throws IOException if reading fails
     */
    public static ProxyHeader readWithin(SocketChannel channel, Duration timeout) throws IOException {
        ProxyHeaderReader reader = new ProxyHeaderReader();
        long deadline = System.nanoTime() + timeout.toNanos();
        channel.configureBlocking(false);
        try (Selector selector = channel.provider().openSelector()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                ProxyHeader header = reader.read(channel);
                if (header != null) {
                    return header;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw reader.late(timeout);
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            }
        } finally {
            if (channel.isOpen()) {
                channel.configureBlocking(true); // closing the selector has deregistered the channel
            }
        }
    }

    /** {@return the failure of a header not whole within {@code timeout}} */
    public ProxyHeaderException late(Duration timeout) {
        return new ProxyHeaderException("no whole PROXY protocol header within " + timeout.toMillis() + " ms (proxyProtocol."
                + "headerTimeout); " + filled + " bytes of it arrived");
    }

    /** {@return the bytes read so far, as ISO-8859-1 text for a log line (escape it), at most {@code max} of them} */
    public String received(int max) {
        return new String(buffer, 0, Math.min(filled, max), StandardCharsets.ISO_8859_1);
    }
}
