package io.sockethost.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Blocking streams with a read timeout over a channel that has no socket adaptor (Unix domain sockets):
 * the channel is switched to non-blocking mode and each stream waits on a private selector. Used by one
 * thread at a time, as the request that owns it.
 */
final class SelectingChannelStreams implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private volatile long readTimeoutMillis;

    SelectingChannelStreams(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.selector = Selector.open();
        channel.configureBlocking(false);
        this.key = channel.register(selector, 0);
    }

    void setReadTimeoutMillis(long millis) {
        this.readTimeoutMillis = millis;
    }

    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                long timeout = readTimeoutMillis;
                long deadline = timeout == 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000;
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0) {
                        return n;
                    }
                    long waitMillis = timeout == 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000;
                    if (timeout != 0 && waitMillis <= 0) {
                        throw new SocketTimeoutException("read timed out after " + timeout + " ms");
                    }
                    await(SelectionKey.OP_READ, waitMillis);
                }
            }
        };
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        await(SelectionKey.OP_WRITE, 0);
                    }
                }
            }
        };
    }

    private void await(int op, long millis) throws IOException {
        if (!channel.isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        key.interestOps(op);
        selector.select(millis);
        selector.selectedKeys().clear();
    }

    /** Lets a read waiting on the selector look at the channel again (after its input was shut down). */
    void wakeUp() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
