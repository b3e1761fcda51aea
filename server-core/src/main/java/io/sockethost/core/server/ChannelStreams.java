package io.sockethost.core.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The raw streams of one connection, straight over its channel, with a read timeout and without system calls
 * the request does not need.
 *
 * <ul>
 * <li>While no read timeout is set the channel stays in blocking mode, and a read or write is one system call
 * that blocks in the kernel (or, on a virtual thread, parks it).</li>
 * <li>The first read that has to wait under a timeout puts the channel in non-blocking mode for good, and
 * from then on waits on a selector of the connection's own, registered once. The JDK's socket adaptor instead
 * switches a platform thread's channel to non-blocking mode and back around every timed read, with four
 * {@code fcntl} calls each time. A virtual thread's
 * socket the JDK keeps non-blocking itself, and a selector would hold its carrier on Java 21 to 23, so on a
 * virtual thread timed reads of TCP connections still go through the adaptor.</li>
 * <li>No read waits while the request's output holds bytes: before a read that would block, the
 * {@link PendingOutput} given to {@link #input(PendingOutput)} is flushed, as C's stdio flushes stdout before
 * it reads a terminal, so a handler that writes a prompt and then reads never waits for an answer to a
 * prompt the client has not seen. Whether a read would block costs one {@code FIONREAD} on TCP, asked only
 * while output is pending; on a Unix channel, which offers no count, pending output is flushed before every
 * read from the socket.</li>
 * <li>The raw input reports nothing {@linkplain InputStream#available() available}: a
 * {@link java.io.BufferedInputStream} above it asks after every read that did not fill the caller's array,
 * an {@code ioctl} each time. {@link #withAvailable(InputStream)} gives the handler a true
 * count.</li>
 * </ul>
 *
 * <p>Used by one thread at a time, the request that owns it; {@link #wakeUp()} and {@link #close()} may come
 * from another. Interrupting the owning thread while it waits closes the connection, as it would a blocking
 * channel's ({@link ClosedByInterruptException}).
 */
final class ChannelStreams implements AutoCloseable {
    /** {@code Thread.isVirtual()} (Java 21+), or null. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    /** Larger arrays are wrapped anew each time, so an idle connection never holds a handler's big array. */
    private static final int KEPT_VIEW_BYTES = 64 * 1024;

    private final SocketChannel channel;
    /** The socket adaptor's input (TCP only): the bytes the kernel holds, and timed reads on virtual threads. */
    private final InputStream adaptorInput;
    /** Whether a {@link WriteWatchdog} reads {@link #writingSince}: without one, writes take no timestamps. */
    private final boolean watched;
    /**
     * Whether the channel is the JDK's own. A forking worker's handed-over TCP socket is junixsocket's, and
     * its selector never reports the client's end of stream; its timed reads go through the socket adaptor.
     */
    private final boolean jdkChannel;
    private volatile long readTimeoutMillis;
    /** Set by {@link #drain()}: a read that would wait for the client sees the end of the input instead. */
    private volatile boolean draining;
    /** Made at the first wait in non-blocking mode; written by the owning thread, read by others. */
    private volatile Selector selector;
    private SelectionKey key;
    private boolean nonBlocking;
    private volatile boolean closed;
    /** When the write under way began or last made progress ({@link System#nanoTime()}, never 0), else 0. */
    private volatile long writingSince;
    /**
     * The arrays read into and written from last, wrapped once: the buffered streams above pass the same
     * array every time, so a wrapper per call would be garbage per request (benchmark notes, note 11).
     */
    private ByteBuffer readView;
    private ByteBuffer writeView;

    /** @param watched whether a {@link WriteWatchdog} will ask {@link #writingSince()} */
    ChannelStreams(SocketChannel channel, boolean watched) throws IOException {
        this.channel = channel;
        this.watched = watched;
        this.adaptorInput = channel.getLocalAddress() instanceof UnixDomainSocketAddress ? null
                : channel.socket().getInputStream();
        this.jdkChannel = channel.provider() == java.nio.channels.spi.SelectorProvider.provider();
    }

    /** Output a read flushes before it waits: the request's buffered output. */
    interface PendingOutput {
        /** {@return whether bytes wait in the buffer} */
        boolean pending();

        void flush() throws IOException;
    }

    /** @param millis 0 waits forever */
    void setReadTimeoutMillis(long millis) throws IOException {
        this.readTimeoutMillis = millis;
        if (adaptorInput != null) {
            channel.socket().setSoTimeout((int) millis); // for the adaptor's timed reads on virtual threads
        }
    }

    /** @param output flushed before any read of this input waits for the client */
    InputStream input(PendingOutput output) {
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
                if (draining && adaptorInput != null && adaptorInput.available() == 0) {
                    return -1;
                }
                long timeout = readTimeoutMillis;
                if (!nonBlocking) {
                    if (timeout == 0) {
                        flushUnlessReadable(output);
                        return channel.read(readView(b, off, len));
                    }
                    if (adaptorInput != null && (onVirtualThread() || !jdkChannel)) {
                        flushUnlessReadable(output);
                        return adaptorInput.read(b, off, len);
                    }
                    channel.configureBlocking(false);
                    nonBlocking = true;
                }
                return readWaiting(readView(b, off, len), timeout, output);
            }

            @Override
            public void close() throws IOException {
                channel.close(); // the request's contract: a handler that closes a stream closes the connection
            }
        };
    }

    private ByteBuffer readView(byte[] b, int off, int len) {
        ByteBuffer view = view(readView, b, off, len);
        if (b.length <= KEPT_VIEW_BYTES) {
            readView = view;
        }
        return view;
    }

    private ByteBuffer writeView(byte[] b, int off, int len) {
        ByteBuffer view = view(writeView, b, off, len);
        if (b.length <= KEPT_VIEW_BYTES) {
            writeView = view;
        }
        return view;
    }

    /**
     * @return {@code ByteBuffer.wrap(b, off, len)}, reusing {@code last} when it wraps the same array
     */
    private static ByteBuffer view(ByteBuffer last, byte[] b, int off, int len) {
        if (last == null || last.array() != b) {
            return ByteBuffer.wrap(b, off, len);
        }
        last.clear();
        return last.limit(off + len).position(off);
    }

    /** Before a blocking read: flushes pending output unless the kernel already holds input to return. */
    private void flushUnlessReadable(PendingOutput output) throws IOException {
        if (output.pending() && (adaptorInput == null || adaptorInput.available() == 0)) {
            output.flush();
        }
    }

    private int readWaiting(ByteBuffer buffer, long timeout, PendingOutput output) throws IOException {
        long deadline = timeout == 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000;
        while (true) {
            int n = channel.read(buffer);
            if (n != 0) {
                return n;
            }
            if (draining) {
                return -1; // nothing more has arrived: the request ends here
            }
            if (output.pending()) {
                output.flush(); // the client may be waiting for it before it sends anything
                continue; // the flush may have waited: look again before the wait is timed
            }
            long waitMillis = timeout == 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000;
            if (timeout != 0 && waitMillis <= 0) {
                throw new SocketTimeoutException("read timed out after " + timeout + " ms");
            }
            await(SelectionKey.OP_READ, waitMillis);
        }
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = writeView(b, off, len);
                try {
                    while (buffer.hasRemaining()) {
                        if (watched) {
                            writingSince = System.nanoTime() | 1;
                        }
                        // in blocking mode the channel writes everything before it returns
                        if (channel.write(buffer) == 0) {
                            await(SelectionKey.OP_WRITE, 0);
                        }
                    }
                } finally {
                    if (watched) {
                        writingSince = 0;
                    }
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /**
     * @return when the write under way began, or last made progress in non-blocking mode
     *     ({@link System#nanoTime()}); 0 if no write is under way, or the streams are not watched
     */
    long writingSince() {
        return writingSince;
    }

    /** {@code in} (buffered over {@link #input(PendingOutput)}), with an {@code available()} that adds what the kernel holds. */
    InputStream withAvailable(InputStream in) {
        if (adaptorInput == null) {
            return in; // the JDK offers no count for a Unix channel
        }
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                int buffered = in.available();
                int pending = adaptorInput.available();
                return buffered > Integer.MAX_VALUE - pending ? Integer.MAX_VALUE : buffered + pending;
            }
        };
    }

    private void await(int op, long millis) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        Selector s = selector;
        if (s == null) {
            s = channel.provider().openSelector();
            try {
                key = channel.register(s, op);
            } catch (IOException | RuntimeException e) {
                s.close(); // the channel was closed meanwhile
                throw e;
            }
            selector = s;
            if (closed) { // close() ran before it could see the selector
                s.close();
                throw new AsynchronousCloseException();
            }
        } else if (key.interestOps() != op) {
            key.interestOps(op);
        }
        try {
            s.select(millis);
            s.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new AsynchronousCloseException(); // closed by close() while waiting: the connection is aborted
        }
        if (Thread.currentThread().isInterrupted()) {
            // As a blocking channel does: an interrupted select returns at once, so waiting again would spin.
            channel.close();
            throw new ClosedByInterruptException();
        }
    }

    /**
     * Ends the input where the client has sent nothing more, for a graceful stop: what the kernel already
     * holds is still read (a request that arrived just before the stop is answered, not lost), and the
     * first read that would then wait sees the end of the stream instead. Shutting the input down at once
     * would throw away what the client already sent. A Unix channel offers no count of waiting bytes, so
     * its input is shut down at once, as before. May be called from any thread.
     */
    void drain() {
        draining = true; // before the count: a reader that takes the last bytes then sees the flag
        try {
            if (channel.isOpen() && (adaptorInput == null || adaptorInput.available() == 0)) {
                channel.shutdownInput(); // wakes a read blocked in the kernel, which had nothing to return
            }
        } catch (IOException e) {
            // already closed or reset: the handler sees that instead
        }
        wakeUp();
    }

    /** Lets a read waiting on the selector look at the channel again (after its input was shut down). */
    void wakeUp() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        Selector s = selector;
        if (s != null) {
            s.close(); // releases the channel's registration, and with it its descriptor
        }
    }

    private static boolean onVirtualThread() {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // Java 17 to 20: no virtual threads
        }
    }
}
