package io.sockethost.plugins.httplite;

import java.io.EOFException;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The client's bytes on one connection, read through a buffer of its own: request heads under the size
 * limits and the header timeout, and request bodies read past (and discarded). Bytes that arrive beyond
 * the current request, a pipelined next request, stay buffered for the next {@link #readHead}.
 *
 * <p>Pending responses are flushed just before any read that may block, never earlier: responses to
 * pipelined requests leave together, and a client that waits for an answer always gets it. Only the
 * connection's thread may use an instance.
 */
final class RequestReader {
    /** Enough for common request heads; an idle connection should cost little (the host buffers too). */
    static final int INITIAL_BUFFER = 4096;
    /** Room below which the unread bytes are moved to the front before reading more. */
    private static final int MIN_READ = 1024;
    private static final int MAX_CHUNK_LINE = 4096;

    private final InputStream in;
    private final Flushable pendingOutput;
    private final Consumer<Duration> readTimeout;
    private final HttpLiteSettings settings;
    private final long headerTimeoutNanos;
    private final int maxBuffer;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int pos;
    private int limit;
    /** The socket's read timeout in milliseconds as last set, 0 = none, -1 = unknown. */
    private long timeoutSet = -1;
    private HeadParser parser = new HeadParser();

    /**
     * @param in the connection's input
     * @param pendingOutput flushed before every read that may block
     * @param readTimeout sets the connection's read timeout ({@link io.sockethost.api.StreamRequest#setReadTimeout})
     */
    RequestReader(InputStream in, Flushable pendingOutput, Consumer<Duration> readTimeout, HttpLiteSettings settings) {
        this.in = in;
        this.pendingOutput = pendingOutput;
        this.readTimeout = readTimeout;
        this.settings = settings;
        this.headerTimeoutNanos = settings.headerTimeoutMillis() * 1_000_000;
        this.maxBuffer = Math.max(INITIAL_BUFFER, Math.max(settings.maxRequestLine() + 2, settings.maxHeaderBytes()) + 16);
    }

    /**
     * Reads the next request head. Waits up to {@code idleMillis} for its first byte, then up to the header
     * timeout for the whole head. Empty lines before the request line are skipped (RFC 9112 2.2).
     *
     * @param idleMillis how long to wait for the first byte; 0 = forever
     * @return the head, or {@code null} when the connection ended or idled out before a request started, or
     *     the client closed it part-way through a head
     * @throws HttpException with the status to answer; the connection must close after it
     */
    RequestHead readHead(long idleMillis) throws IOException, HttpException {
        parser = new HeadParser();
        if (pos == limit && !awaitFirstBytes(idleMillis)) {
            return null;
        }
        long deadline = System.nanoTime() + headerTimeoutNanos;
        int maxLine = settings.maxRequestLine();
        int blank = 0;
        while (!parser.hasRequestLine()) {
            int lf = lineEnd(maxLine + 2, HttpStatus.URI_TOO_LONG, "request line", deadline);
            if (lf < 0) {
                return null;
            }
            int end = withoutCr(lf);
            if (end > pos) {
                parser.requestLine(buf, pos, end);
            } else if ((blank += lf + 1 - pos) > maxLine) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "only empty lines instead of a request line");
            }
            pos = lf + 1;
        }
        int headerBytes = 0;
        int fields = 0;
        while (true) {
            int lf = lineEnd(settings.maxHeaderBytes() - headerBytes, HttpStatus.HEADER_FIELDS_TOO_LARGE,
                    "header section", deadline);
            if (lf < 0) {
                return null;
            }
            headerBytes += lf + 1 - pos;
            int end = withoutCr(lf);
            if (end == pos) {
                pos = lf + 1;
                return parser.finish();
            }
            if (++fields > settings.maxHeaders()) {
                throw new HttpException(HttpStatus.HEADER_FIELDS_TOO_LARGE, "more than " + settings.maxHeaders() + " header fields");
            }
            parser.field(buf, pos, end);
            pos = lf + 1;
        }
    }

    /** @return whether bytes of a next request are already buffered */
    boolean hasUnread() {
        return pos < limit;
    }

    /** @return the parser of the head read last, to log what is known of a refused request */
    HeadParser lastHead() {
        return parser;
    }

    /**
     * Reads past the request body, so that the next request starts where it should.
     *
     * @throws HttpException 413 past {@code maxBodySize}, 400 for malformed chunks, 408 when the client stalls
     * @throws EOFException if the client closes before the body ends
     */
    void skipBody(RequestHead head) throws IOException, HttpException {
        if (head.chunked()) {
            skipChunked();
        } else if (head.contentLength() > settings.maxBodySize()) {
            throw new HttpException(HttpStatus.CONTENT_TOO_LARGE, "Content-Length " + head.contentLength()
                    + " is over the limit of " + settings.maxBodySize());
        } else {
            skip(head.contentLength());
        }
    }

    private void skipChunked() throws IOException, HttpException {
        long total = 0;
        while (true) {
            int lf = lineEnd(MAX_CHUNK_LINE, HttpStatus.BAD_REQUEST, "chunk size line too long", bodyDeadline());
            long size = chunkSize(requireLine(lf));
            pos = lf + 1;
            if (size == 0) {
                break;
            }
            total += size;
            if (total > settings.maxBodySize()) {
                throw new HttpException(HttpStatus.CONTENT_TOO_LARGE, "chunked body over the limit of " + settings.maxBodySize());
            }
            skip(size);
            lf = lineEnd(2, HttpStatus.BAD_REQUEST, "chunk data longer than its size", bodyDeadline());
            if (requireLine(lf) != pos) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "chunk data longer than its size");
            }
            pos = lf + 1;
        }
        int trailerBytes = 0;
        while (true) {
            int lf = lineEnd(settings.maxHeaderBytes() - trailerBytes, HttpStatus.HEADER_FIELDS_TOO_LARGE,
                    "trailer section", bodyDeadline());
            int end = requireLine(lf);
            trailerBytes += lf + 1 - pos;
            boolean last = end == pos;
            pos = lf + 1;
            if (last) {
                return;
            }
        }
    }

    private int requireLine(int lf) throws EOFException {
        if (lf < 0) {
            throw new EOFException("client closed during the request body");
        }
        return withoutCr(lf);
    }

    /** {@code chunk-size [ chunk-ext ]}: hexadecimal digits, then extensions, which are ignored. */
    private long chunkSize(int end) throws HttpException {
        long size = 0;
        int i = pos;
        for (; i < end; i++) {
            int digit = Character.digit(buf[i], 16);
            if (digit < 0) {
                break;
            }
            if (i - pos >= 15) {
                throw new HttpException(HttpStatus.CONTENT_TOO_LARGE, "chunk size too large");
            }
            size = size * 16 + digit;
        }
        if (i == pos || i < end && buf[i] != ';' && buf[i] != ' ' && buf[i] != '\t') {
            throw new HttpException(HttpStatus.BAD_REQUEST, "malformed chunk size");
        }
        return size;
    }

    private void skip(long count) throws IOException, HttpException {
        long left = count;
        while (left > 0) {
            if (pos == limit && !fill(bodyDeadline())) {
                throw new EOFException("client closed during the request body");
            }
            int take = (int) Math.min(left, limit - pos);
            pos += take;
            left -= take;
        }
    }

    /**
     * Reads and discards what the client still sends before the connection closes: closing a socket with
     * unread input resets it, and the reset can destroy the response before the client reads it. Stops at the
     * end of the stream, after {@code quietMillis} without data, or at the byte or time bound. Failures are
     * ignored: the connection is ending anyway.
     */
    void drain(long maxBytes, long maxMillis, long quietMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        long left = maxBytes - (limit - pos);
        pos = limit;
        try {
            while (left > 0) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    return;
                }
                int n = readMore(Math.min(remaining, quietMillis));
                if (n < 0) {
                    return;
                }
                left -= n;
                pos = limit;
            }
        } catch (IOException | RuntimeException e) {
            // quiet for long enough, or the client reset: nothing more to drain
        }
    }

    private long bodyDeadline() {
        return System.nanoTime() + headerTimeoutNanos;
    }

    /**
     * Makes sure a whole line starts at {@code pos}.
     *
     * @param maxLength the longest allowed line, line ending included
     * @param what names the line in the reason of a refusal (is the whole reason for a 400)
     * @return the index of the line's LF, or -1 if the client closed first
     * @throws HttpException {@code tooLong} past {@code maxLength}; 408 past the deadline
     */
    private int lineEnd(int maxLength, HttpStatus tooLong, String what, long deadline)
            throws IOException, HttpException {
        int scanned = pos;
        while (true) {
            int lf = HeadParser.indexOf(buf, (byte) '\n', scanned, limit);
            if (lf >= 0) {
                if (lf + 1 - pos > maxLength) {
                    throw tooLong(tooLong, what);
                }
                return lf;
            }
            if (limit - pos >= maxLength) {
                throw tooLong(tooLong, what);
            }
            int offset = limit - pos;
            if (!fill(deadline)) {
                return -1;
            }
            scanned = pos + offset;
        }
    }

    private HttpException tooLong(HttpStatus status, String what) {
        return switch (status) {
            case URI_TOO_LONG -> new HttpException(status, what + " over the limit of " + settings.maxRequestLine() + " bytes");
            case HEADER_FIELDS_TOO_LARGE -> new HttpException(status, what + " over the limit of " + settings.maxHeaderBytes() + " bytes");
            default -> new HttpException(status, what);
        };
    }

    private int withoutCr(int lf) {
        return lf > pos && buf[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** Waits for the first bytes of a request on an idle connection. */
    private boolean awaitFirstBytes(long idleMillis) throws IOException {
        try {
            return readMore(idleMillis) >= 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** @return false at end of stream */
    private boolean fill(long deadline) throws IOException, HttpException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        try {
            if (remaining > 0) {
                return readMore(remaining) >= 0;
            }
        } catch (SocketTimeoutException e) {
            // as below
        }
        throw new HttpException(HttpStatus.REQUEST_TIMEOUT, "request not complete within the header timeout");
    }

    /**
     * Reads into the free end of the buffer, after flushing the responses written so far.
     *
     * @return the number of bytes read, -1 at end of stream
     */
    private int readMore(long timeoutMillis) throws IOException {
        makeRoom();
        pendingOutput.flush();
        if (timeoutMillis != timeoutSet) {
            readTimeout.accept(Duration.ofMillis(timeoutMillis));
            timeoutSet = timeoutMillis;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /** Moves unread bytes to the front when room runs low; grows the buffer when a long line fills it. */
    private void makeRoom() {
        if (pos == limit) {
            pos = limit = 0;
            return;
        }
        if (buf.length - limit >= MIN_READ) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= maxBuffer) {
                throw new IllegalStateException("line limits should have stopped a line of " + limit + " bytes");
            }
            buf = java.util.Arrays.copyOf(buf, Math.min(maxBuffer, buf.length * 2));
        }
    }
}
