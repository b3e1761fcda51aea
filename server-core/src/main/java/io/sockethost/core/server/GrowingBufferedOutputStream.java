package io.sockethost.core.server;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connection's buffered output whose buffer starts small and grows, up to a maximum, the first time a
 * handler writes more at once than it holds; then it keeps that size for the connection's life. A connection
 * that only ever exchanges small messages, like most idle ones, holds a small buffer; one that sends larger
 * responses reaches the full size after its first and allocates nothing more. A write of at least the maximum
 * goes straight through, after what is buffered. Why: each idle connection's buffers were most of its memory
 * (benchmark notes, note 15).
 *
 * <p>Used by one thread at a time, the request that owns the connection; {@link #pending()} may be asked
 * from the same thread only.
 */
final class GrowingBufferedOutputStream extends FilterOutputStream implements ChannelStreams.PendingOutput {
    private final int maxSize;
    private byte[] buffer;
    private int count;

    /**
     * @param out where full buffers and flushes go
     * @param initialSize the buffer's first size, at least 1
     * @param maxSize the largest the buffer grows to, at least {@code initialSize}
     */
    GrowingBufferedOutputStream(OutputStream out, int initialSize, int maxSize) {
        super(out);
        if (initialSize < 1 || maxSize < initialSize) {
            throw new IllegalArgumentException("sizes " + initialSize + " and " + maxSize);
        }
        this.buffer = new byte[initialSize];
        this.maxSize = maxSize;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            if (buffer.length < maxSize) {
                grow(count + 1);
            } else {
                flushBuffer();
            }
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len >= maxSize) {
            flushBuffer();
            out.write(b, off, len);
            return;
        }
        if (count + len > buffer.length) {
            if (buffer.length < maxSize) {
                grow(count + len);
            }
            if (count + len > buffer.length) {
                flushBuffer();
            }
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public boolean pending() {
        return count > 0;
    }

    /** The buffer's size now (for tests). */
    int capacity() {
        return buffer.length;
    }

    /** At least {@code needed} bytes where the maximum allows, four times the size at least: few copies. */
    private void grow(int needed) {
        buffer = Arrays.copyOf(buffer, Math.min(maxSize, Math.max(needed, buffer.length * 4)));
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }
}
