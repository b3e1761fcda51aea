package io.sockethost.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking test client for stream servers (tcp or unix-stream) in which every read has a deadline, so a
 * test never hangs on a silent server. Not thread-safe.
 */
public final class StreamClient implements AutoCloseable {
    /** How long a read waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private final OutputStream output;
    private Duration timeout = DEFAULT_TIMEOUT;

    private StreamClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.output = Channels.newOutputStream(new BlockingWrites(channel));
    }

    /** Connects to a tcp ({@code InetSocketAddress}) or unix-stream ({@code UnixDomainSocketAddress}) server. */
    public static StreamClient connect(SocketAddress address) throws IOException {
        return new StreamClient(SocketChannel.open(address));
    }

    public StreamClient timeout(Duration readTimeout) {
        this.timeout = readTimeout;
        return this;
    }

    public StreamClient send(byte[] bytes) throws IOException {
        output.write(bytes);
        return this;
    }

    public StreamClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Half-closes: the server reads end of stream, and can still answer. */
    public StreamClient shutdownOutput() throws IOException {
        channel.shutdownOutput();
        return this;
    }

    /** @return whatever arrives first (at least one byte), or an empty array at end of stream */
    public byte[] receiveSome() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        int n = read(buffer);
        if (n < 0) {
            return new byte[0];
        }
        byte[] bytes = new byte[n];
        buffer.flip().get(bytes);
        return bytes;
    }

    /** @return exactly {@code length} bytes; fails at end of stream or after the timeout */
    public byte[] receive(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (read(buffer) < 0) {
                throw new EOFException("connection closed after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.array();
    }

    /** @return the next line without its terminator, decoded as UTF-8, or {@code null} at end of stream */
    public String receiveLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (read(one) < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            byte b = one.get(0);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    /** @return everything until the server closes */
    public byte[] receiveAll() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (read(buffer) >= 0) {
            all.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return all.toByteArray();
    }

    /** @return true if the server closed the connection within the timeout */
    public boolean awaitClosedByServer() throws IOException {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (true) {
                int n = read(buffer);
                if (n < 0) {
                    return true;
                }
                buffer.clear();
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server is closed too
        }
    }

    private int read(ByteBuffer buffer) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int n = channel.read(buffer);
            if (n != 0) {
                return n;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no data within " + timeout);
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            selector.close();
        }
    }

    /** Writes all of a buffer on a non-blocking channel by waiting for room. */
    private static final class BlockingWrites implements java.nio.channels.WritableByteChannel {
        private final SocketChannel channel;

        BlockingWrites(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int total = 0;
            try (Selector writable = Selector.open()) {
                SelectionKey key = null;
                while (src.hasRemaining()) {
                    int n = channel.write(src);
                    total += n;
                    if (n == 0) {
                        if (key == null) {
                            key = channel.register(writable, SelectionKey.OP_WRITE);
                        }
                        writable.select(1000);
                        writable.selectedKeys().clear();
                    }
                }
            }
            return total;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
