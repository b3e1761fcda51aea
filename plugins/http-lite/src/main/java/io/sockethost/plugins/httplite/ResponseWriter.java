package io.sockethost.plugins.httplite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the responses of one connection. The head is assembled in a small buffer of the connection's own
 * and leaves in the same write as the start of its body: a response split over two small writes stalls on
 * Nagle's algorithm and delayed ACKs (DESIGN.md section 9). File data moves in chunks of {@link #CHUNK}
 * bytes through arrays borrowed from a shared pool, so no file is held whole in the heap except small ones
 * the {@link FileCache} keeps. Writes go to
 * the connection's buffered output; {@link RequestReader} flushes it before it waits for the next request.
 * Used by the connection's thread only.
 */
final class ResponseWriter {
    /** Big enough to send a large file in few writes, small enough that idle threads' I/O buffers stay cheap. */
    static final int CHUNK = 16 * 1024;
    private static final ChunkPool POOL = new ChunkPool(CHUNK, 64);
    /** Bodies up to this size are copied behind the head, so both leave in one write. */
    private static final int COALESCE = 4096;
    private static final byte[] SERVER = ascii("Server: sockethost-http-lite\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CRLF = ascii("\r\n");

    private final OutputStream out;
    private byte[] head = new byte[512];
    private int length;
    private HttpStatus status;
    private long bodyBytes;

    ResponseWriter(OutputStream out) {
        this.out = out;
    }

    /** @return the status of the response begun last, for the access log */
    HttpStatus status() {
        return status;
    }

    /** @return the body bytes of the response sent last, for the access log */
    long bodyBytes() {
        return bodyBytes;
    }

    /**
     * Begins a response: status line, Date, Server, and Connection where the version needs it.
     *
     * @param version the request's version: a 1.0 client is told explicitly that the connection stays open
     */
    ResponseWriter start(HttpStatus status, HttpVersion version, boolean keepAlive) {
        this.status = status;
        this.bodyBytes = 0;
        length = 0;
        append(status.statusLine());
        append(HttpDates.dateLine());
        append(SERVER);
        if (!keepAlive) {
            append(CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            append(KEEP_ALIVE);
        }
        return this;
    }

    ResponseWriter header(String name, String value) {
        ensure(name.length() + value.length() + 4);
        appendAscii(name);
        head[length++] = ':';
        head[length++] = ' ';
        appendAscii(value);
        head[length++] = '\r';
        head[length++] = '\n';
        return this;
    }

    /** Appends whole head lines, each ending in CRLF, as {@link FileCache} keeps them. */
    ResponseWriter lines(byte[] headLines) {
        append(headLines);
        return this;
    }

    /** A header whose value is a non-negative number, written without a String on the way. */
    ResponseWriter header(String name, long value) {
        if (value < 0) {
            return header(name, Long.toString(value));
        }
        ensure(name.length() + 20 + 4);
        appendAscii(name);
        head[length++] = ':';
        head[length++] = ' ';
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        long rest = value;
        for (int i = length + digits - 1; i >= length; i--) {
            head[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        length += digits;
        head[length++] = '\r';
        head[length++] = '\n';
        return this;
    }

    /**
     * Ends the head with the body's Content-Length (none for 204 and 304) and sends both.
     *
     * @param withBody false for HEAD: the head describes the body, which is left out
     */
    void send(byte[] body, boolean withBody) throws IOException {
        if (!status.bodiless()) {
            header("Content-Length", body.length);
        }
        append(CRLF);
        boolean sendBody = withBody && !status.bodiless() && body.length > 0;
        if (sendBody && body.length <= COALESCE) {
            append(body);
            out.write(head, 0, length);
        } else {
            out.write(head, 0, length);
            if (sendBody) {
                out.write(body);
            }
        }
        bodyBytes = sendBody ? body.length : 0;
    }

    /** Sends the status as a short plain-text body, the way every error and redirect is answered. */
    void sendStatusText(boolean withBody) throws IOException {
        header("Content-Type", "text/plain; charset=utf-8");
        send(status.text(), withBody);
    }

    /**
     * Ends the head with Content-Length {@code count} and sends it with {@code count} bytes of {@code bytes}
     * from {@code first} on (a kept file, see {@link FileCache}): in one write when they are small.
     */
    void sendBytes(byte[] bytes, int first, int count, boolean withBody) throws IOException {
        header("Content-Length", count);
        append(CRLF);
        if (withBody && count <= COALESCE) {
            ensure(count);
            System.arraycopy(bytes, first, head, length, count);
            length += count;
            out.write(head, 0, length);
        } else {
            out.write(head, 0, length);
            if (withBody) {
                out.write(bytes, first, count);
            }
        }
        bodyBytes = withBody ? count : 0;
    }

    /**
     * Ends the head with Content-Length {@code count} and sends it with {@code count} bytes of the file from
     * {@code first} on.
     *
     * @throws IOException also if the file turns out shorter than its size said; the response is then cut
     *     short and the connection must close
     */
    void sendFile(FileChannel file, long first, long count, boolean withBody) throws IOException {
        header("Content-Length", count);
        append(CRLF);
        if (!withBody || count == 0) {
            out.write(head, 0, length);
            return;
        }
        byte[] chunk = POOL.take();
        try {
            int offset = 0;
            if (length <= chunk.length / 2) {
                System.arraycopy(head, 0, chunk, 0, length);
                offset = length;
            } else {
                out.write(head, 0, length);
            }
            long position = first;
            long left = count;
            while (left > 0) {
                int n = (int) Math.min(chunk.length - offset, left);
                readFully(file, chunk, offset, n, position);
                out.write(chunk, 0, offset + n);
                bodyBytes += n;
                position += n;
                left -= n;
                offset = 0;
            }
        } finally {
            POOL.give(chunk);
        }
    }

    private static void readFully(FileChannel file, byte[] into, int offset, int count, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, offset, count);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position() - offset) < 0) {
                throw new IOException("file shrank while it was being sent");
            }
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, head, length, bytes.length);
        length += bytes.length;
    }

    private void appendAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            head[length++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int more) {
        if (length + more > head.length) {
            head = Arrays.copyOf(head, Math.max(head.length * 2, length + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
