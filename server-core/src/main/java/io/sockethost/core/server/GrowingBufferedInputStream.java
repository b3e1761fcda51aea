package io.sockethost.core.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's buffered input whose buffer starts small and grows, up to a maximum, once a refill fills it
 * (the client sends more at once than it holds); then it keeps that size. The counterpart of
 * {@link GrowingBufferedOutputStream}: an idle connection that exchanged small messages holds a small
 * buffer. Reads into arrays at least as large as the buffer bypass it, as {@link BufferedInputStream}'s do.
 *
 * <p>Used by one thread at a time, the request that owns the connection; {@link #close()} may come from
 * another.
 */
final class GrowingBufferedInputStream extends BufferedInputStream {
    private final int maxSize;

    /**
     * @param initialSize the buffer's first size, at least 1
     * @param maxSize the largest the buffer grows to, at least {@code initialSize}
     */
    GrowingBufferedInputStream(InputStream in, int initialSize, int maxSize) {
        super(in, initialSize);
        if (maxSize < initialSize) {
            throw new IllegalArgumentException("sizes " + initialSize + " and " + maxSize);
        }
        this.maxSize = maxSize;
    }

    @Override
    public int read() throws IOException {
        growIfOutgrown();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        growIfOutgrown();
        return super.read(b, off, len);
    }

    /** The buffer's size now (for tests); 0 once closed. */
    int capacity() {
        byte[] b = buf;
        return b == null ? 0 : b.length;
    }

    /**
     * Before a read that refills the buffer: a larger one if the last refill filled this one. Only when
     * everything buffered was read and no mark holds it, so nothing is copied. A close from another thread
     * in between leaves the stream closed: {@code in} is gone, and the read that follows says so.
     */
    private void growIfOutgrown() {
        byte[] b = buf;
        if (b != null && pos >= count && markpos < 0 && count == b.length && b.length < maxSize) {
            buf = new byte[Math.min(maxSize, b.length * 4)];
            pos = 0;
            count = 0;
        }
    }
}
