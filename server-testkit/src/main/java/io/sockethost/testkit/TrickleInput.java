package io.sockethost.testkit;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * An input stream over fixed bytes that hands out at most {@code maxRead} of them per read, as a slow or
 * fragmenting network does: for testing how a parser joins a message split across reads. Never blocks;
 * returns -1 once the bytes are used up. Not thread-safe: one reader.
 */
public final class TrickleInput extends InputStream {
    private final byte[] bytes;
    private final int maxRead;
    private int pos;

    /**
     * @param bytes copied, so the caller may reuse its array
     * @param maxRead the most bytes one {@link #read(byte[], int, int)} returns, at least 1
     * @throws IllegalArgumentException if {@code maxRead} is below 1
     */
    public TrickleInput(byte[] bytes, int maxRead) {
        if (maxRead < 1) {
            throw new IllegalArgumentException("maxRead must be at least 1, got " + maxRead);
        }
        this.bytes = Arrays.copyOf(bytes, bytes.length);
        this.maxRead = maxRead;
    }

    @Override
    public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos == bytes.length) {
            return -1;
        }
        int n = Math.min(Math.min(len, maxRead), bytes.length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return Math.min(maxRead, bytes.length - pos);
    }
}
