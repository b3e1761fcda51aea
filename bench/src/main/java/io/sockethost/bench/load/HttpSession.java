package io.sockethost.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link Workload#HTTP_GET}: HTTP/1.1 keep-alive, one GET in flight per connection. Responses are framed by
 * {@code Content-Length} (what a static file server sends); a response asking to close the connection is
 * followed by a new connection, as wrk does. Anything but 200 counts as an error.
 */
final class HttpSession extends StreamSession {
    private static final int MAX_HEAD = 16 * 1024;

    private final byte[] request;
    private final byte[] head = new byte[MAX_HEAD];
    private int headLength;
    /** Body bytes still to come, or -1 while the head is being read. */
    private long bodyLeft = -1;
    private int status;
    private boolean closeAfter;

    HttpSession(Worker worker) {
        super(worker);
        String host = worker.spec.target().getAddress().getHostAddress();
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.request = ("GET " + worker.spec.httpPath() + " HTTP/1.1\r\nHost: " + authority + ":"
                + worker.spec.target().getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    void send(long origin, long now) {
        headLength = 0;
        bodyLeft = -1;
        awaitReply(origin);
        write(ByteBuffer.wrap(request), now);
    }

    @Override
    boolean consume(ByteBuffer bytes, long now) {
        if (origin < 0) {
            fail("exchange: bytes nobody asked for", now);
            return false;
        }
        while (bodyLeft < 0 && bytes.hasRemaining()) {
            if (headLength == MAX_HEAD) {
                fail("exchange: response head longer than " + MAX_HEAD + " bytes", now);
                return false;
            }
            head[headLength++] = bytes.get();
            if (endOfHead() && !parseHead(now)) {
                return false;
            }
        }
        if (bodyLeft > 0) {
            int take = (int) Math.min(bodyLeft, bytes.remaining());
            bytes.position(bytes.position() + take);
            bodyLeft -= take;
        }
        if (bodyLeft != 0) {
            return true;
        }
        if (bytes.hasRemaining()) {
            fail("exchange: bytes after the response", now);
            return false;
        }
        bodyLeft = -1;
        if (status == 200) {
            replied(now);
        } else {
            origin = -1;
            worker.error("HTTP status " + status);
        }
        if (closeAfter) {
            closeChannel();
            connect(now);
            return false;
        }
        worker.readyForNext(this, now);
        return true;
    }

    private boolean endOfHead() {
        int n = headLength;
        return n >= 4 && head[n - 1] == '\n' && head[n - 2] == '\r' && head[n - 3] == '\n' && head[n - 4] == '\r';
    }

    /** Reads the status line, Content-Length and Connection from the head. */
    private boolean parseHead(long now) {
        if (headLength < 12 || !startsWith(0, "HTTP/1.")) {
            fail("exchange: not an HTTP/1.x response", now);
            return false;
        }
        status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        closeAfter = head[7] == '0'; // HTTP/1.0 closes unless it says keep-alive
        long length = -1;
        int line = indexOfLineEnd(0) + 2;
        while (line < headLength - 2) {
            int end = indexOfLineEnd(line);
            if (headerIs(line, "content-length:")) {
                length = Long.parseLong(value(line, end, "content-length:"));
            } else if (headerIs(line, "connection:")) {
                String value = value(line, end, "connection:").toLowerCase(java.util.Locale.ROOT);
                closeAfter = value.contains("close") || (closeAfter && !value.contains("keep-alive"));
            }
            line = end + 2;
        }
        if (length < 0) {
            fail("exchange: response without Content-Length", now);
            return false;
        }
        bodyLeft = length;
        return true;
    }

    private int indexOfLineEnd(int from) {
        for (int i = from; i < headLength - 1; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n') {
                return i;
            }
        }
        return headLength;
    }

    private boolean startsWith(int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (at + i >= headLength || head[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean headerIs(int at, String lowerCaseName) {
        for (int i = 0; i < lowerCaseName.length(); i++) {
            if (at + i >= headLength || Character.toLowerCase((char) head[at + i]) != lowerCaseName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int line, int end, String name) {
        return new String(head, line + name.length(), end - line - name.length(), StandardCharsets.ISO_8859_1).trim();
    }

    @Override
    void endOfStream(long now) {
        if (origin < 0) {
            closeChannel(); // an idle keep-alive connection closed by the server: not an error, reconnect
            worker.broken(this);
            connect(now);
        } else {
            fail("exchange: connection closed before the response", now);
        }
    }
}
