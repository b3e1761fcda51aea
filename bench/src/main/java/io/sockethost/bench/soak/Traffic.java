package io.sockethost.bench.soak;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's mixed requests, on blocking sockets from {@code 127.0.0.1}: echo over tcp (on a kept connection
 * and on a fresh one) and udp, http-lite (kept alive and {@code Connection: close}), login-auth with wrong
 * passwords, and a reset at every protocol step: connect then close, close in the middle of a request, RST
 * ({@code SO_LINGER} 0) before the reply and in the middle of a response. Request {@code i} is of kind
 * {@code MIX[i % MIX.length]}, so every run of a given size sends the same mix.
 *
 * <p>{@link #run} is called by several client threads at once, each with a {@link Client} of its own; the
 * counters are shared and thread-safe. An error is a request that did not get the answer the protocol
 * promises; what the client itself breaks (its resets) is not one.
 */
final class Traffic {
    /** Kinds of request. */
    enum Kind {
        ECHO_TCP, ECHO_TCP_NEW_CONNECTION, ECHO_UDP, HTTP_KEEP_ALIVE, HTTP_CLOSE, LOGIN_WRONG_PASSWORD,
        CONNECT_THEN_CLOSE, CLOSE_MID_REQUEST, RST_BEFORE_REPLY, RST_MID_RESPONSE
    }

    /** One cycle of the mix: 20 requests, a quarter of them echo over tcp, a fifth resets. */
    static final Kind[] MIX = {
        Kind.ECHO_TCP, Kind.HTTP_KEEP_ALIVE, Kind.ECHO_UDP, Kind.ECHO_TCP, Kind.CONNECT_THEN_CLOSE,
        Kind.HTTP_KEEP_ALIVE, Kind.ECHO_TCP_NEW_CONNECTION, Kind.ECHO_UDP, Kind.LOGIN_WRONG_PASSWORD, Kind.CLOSE_MID_REQUEST,
        Kind.ECHO_TCP, Kind.HTTP_KEEP_ALIVE, Kind.HTTP_CLOSE, Kind.ECHO_UDP, Kind.RST_BEFORE_REPLY,
        Kind.ECHO_TCP, Kind.HTTP_KEEP_ALIVE, Kind.ECHO_TCP, Kind.RST_MID_RESPONSE, Kind.CONNECT_THEN_CLOSE,
    };
    /**
     * How long a reply may take before it counts as an error: long, since the soak runs at a low priority beside
     * other builds (a load average of 40 on 2 cores has been seen), and a slow answer is not a lost one.
     */
    static final int TIMEOUT_MILLIS = 30_000;
    /** A kept connection idle this long is opened again: http-lite closes idle ones after its keepAliveTimeout (5 s). */
    private static final long KEEP_IDLE_NANOS = 2_000_000_000L;

    private final InetSocketAddress echo;
    private final InetSocketAddress echoUdp;
    private final InetSocketAddress http;
    private final InetSocketAddress login;
    private final Map<Kind, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessages = new ConcurrentHashMap<>();
    final AtomicLong done = new AtomicLong();

    Traffic(InetSocketAddress echo, InetSocketAddress echoUdp, InetSocketAddress http, InetSocketAddress login) {
        this.echo = echo;
        this.echoUdp = echoUdp;
        this.http = http;
        this.login = login;
    }

    /** Sends request {@code i} on {@code client}'s connections and counts it. */
    void run(long i, Client client) {
        Kind kind = MIX[(int) (i % MIX.length)];
        try {
            switch (kind) {
                case ECHO_TCP -> client.echo(i);
                case ECHO_TCP_NEW_CONNECTION -> echoOnce(i);
                case ECHO_UDP -> client.udp(i);
                case HTTP_KEEP_ALIVE -> client.http();
                case HTTP_CLOSE -> httpClose();
                case LOGIN_WRONG_PASSWORD -> wrongPassword(i);
                case CONNECT_THEN_CLOSE -> connectThenClose(i);
                case CLOSE_MID_REQUEST -> closeMidRequest(i);
                case RST_BEFORE_REPLY -> resetBeforeReply(i);
                case RST_MID_RESPONSE -> resetMidResponse(i);
            }
        } catch (IOException | RuntimeException e) {
            client.closeAll();
            String key = kind + ": " + e.getClass().getSimpleName();
            errors.computeIfAbsent(key, k -> new LongAdder()).increment();
            firstMessages.putIfAbsent(key, String.valueOf(e.getMessage()));
        }
        sent.computeIfAbsent(kind, k -> new LongAdder()).increment();
        done.incrementAndGet();
    }

    /** Requests sent per kind. */
    Map<String, Long> sent() {
        Map<String, Long> counts = new TreeMap<>();
        sent.forEach((k, v) -> counts.put(k.name(), v.sum()));
        return counts;
    }

    /** Errors per kind and exception, each with the first message seen. */
    Map<String, String> errors() {
        Map<String, String> result = new TreeMap<>();
        errors.forEach((k, v) -> result.put(k, v.sum() + " (first: " + firstMessages.get(k) + ")"));
        return result;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private void echoOnce(long i) throws IOException {
        try (Socket s = connect(echo)) {
            echoRoundTrip(s, s.getInputStream(), i);
        }
    }

    private static void echoRoundTrip(Socket s, InputStream in, long i) throws IOException {
        byte[] line = ("soak " + i + " the quick brown fox jumps over the lazy dog\n").getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(line);
        byte[] reply = in.readNBytes(line.length);
        if (!Arrays.equals(line, reply)) {
            throw new IllegalStateException("echo answered " + reply.length + " other bytes");
        }
    }

    private void httpClose() throws IOException {
        try (Socket s = connect(http)) {
            s.getOutputStream().write(get("/index.html", "close"));
            InputStream in = new BufferedInputStream(s.getInputStream());
            readResponse(in, true);
            if (in.read() != -1) {
                throw new IllegalStateException("http-lite kept a Connection: close connection open");
            }
        }
    }

    private void wrongPassword(long i) throws IOException {
        try (Socket s = connect(login)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            try {
                out.write("Now client connect to Server\n".getBytes(StandardCharsets.US_ASCII));
                if (closedAtOnce(in)) {
                    return; // the address is locked out: login-auth closes its connections on the accept loop
                }
            } catch (java.net.SocketException e) {
                return; // the same, closed with our greeting unread: a reset
            }
            expectLine(in, "OK,I am ready");
            out.write(("username:soak" + (i % 50) + "\n").getBytes(StandardCharsets.US_ASCII));
            expectLine(in, "invalid"); // no such user
            out.write(("userpasswd:wrong" + i + "\n").getBytes(StandardCharsets.US_ASCII));
            expectLine(in, "invalid"); // checked and wrong, or refused during the lockout
        }
    }

    /** The server sees a connection that ends before its first byte. */
    private void connectThenClose(long i) throws IOException {
        connect(target(i)).close();
    }

    private void closeMidRequest(long i) throws IOException {
        InetSocketAddress to = target(i);
        try (Socket s = connect(to)) {
            String part = to == http ? "GET /index.html HTTP/1.1\r\nHost: so" : to == login ? "Now client conn" : "half a line, no end";
            s.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void resetBeforeReply(long i) throws IOException {
        InetSocketAddress to = target(i);
        try (Socket s = connect(to)) {
            byte[] request = to == http ? get("/index.html", "keep-alive")
                    : to == login ? "Now client connect to Server\n".getBytes(StandardCharsets.US_ASCII)
                    : "reset before the echo\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(request);
            s.setSoLinger(true, 0);
        }
    }

    private void resetMidResponse(long i) throws IOException {
        boolean toHttp = i / MIX.length % 2 == 0;
        try (Socket s = connect(toHttp ? http : echo)) {
            // echo: 64 KiB fits the loopback buffers both ways, so the write cannot wait for the read below
            s.getOutputStream().write(toHttp ? get(SoakHost.BIG_FILE, "keep-alive") : new byte[64 * 1024]);
            if (s.getInputStream().readNBytes(1024).length != 1024) {
                throw new IllegalStateException("the response ended before 1 KiB");
            }
            s.setSoLinger(true, 0);
        }
    }

    /** echo, http-lite and login-auth in turn. */
    private InetSocketAddress target(long i) {
        return switch ((int) (i / MIX.length % 3)) {
            case 0 -> echo;
            case 1 -> http;
            default -> login;
        };
    }

    static Socket connect(InetSocketAddress to) throws IOException {
        // No bind before connect: a bound port is reserved for every destination, and the half a million
        // connections of a run (in TIME_WAIT for a minute after each close) then exhaust the ephemeral ports;
        // connect alone picks a port per destination and may reuse one in TIME_WAIT. The source is 127.0.0.1.
        Socket s = new Socket();
        try {
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            s.connect(to, TIMEOUT_MILLIS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static byte[] get(String path, String connection) {
        return ("GET " + path + " HTTP/1.1\r\nHost: soak\r\nConnection: " + connection + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @return whether the stream ends before its first byte; else that byte is read again next */
    private static boolean closedAtOnce(InputStream in) throws IOException {
        in.mark(1);
        if (in.read() == -1) {
            return true;
        }
        in.reset();
        return false;
    }

    private static void expectLine(InputStream in, String expected) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IllegalStateException("connection closed before \"" + expected + "\"");
            }
            line.append((char) c);
        }
        if (!line.toString().strip().equals(expected)) {
            throw new IllegalStateException("expected \"" + expected + "\", got \"" + line.toString().strip() + "\"");
        }
    }

    /** Reads one 200 response with a Content-Length body; fails on anything else. */
    private static void readResponse(InputStream in, boolean closing) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c == -1) {
                throw new IllegalStateException("connection closed in the response head" + (closing ? "" : " (kept alive)"));
            }
            head.append((char) c);
            if (head.length() > 16_384) {
                throw new IllegalStateException("response head too long");
            }
        }
        String text = head.toString();
        if (!text.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException("status " + text.lines().findFirst().orElse(""));
        }
        long length = text.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToLong(l -> Long.parseLong(l.substring(15).strip())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Content-Length"));
        if (in.readNBytes((int) length).length != length) {
            throw new IllegalStateException("body shorter than its Content-Length");
        }
    }

    /**
     * One client thread's kept connections: echo over tcp, http-lite kept alive, and a udp socket. Not
     * thread-safe: one per client thread.
     */
    final class Client implements AutoCloseable {
        private Socket echoSocket;
        private InputStream echoIn;
        private long echoUsed;
        private Socket httpSocket;
        private InputStream httpIn;
        private long httpUsed;
        private DatagramSocket udp;
        private final byte[] udpBuffer = new byte[2048];

        void echo(long i) throws IOException {
            if (echoSocket == null || System.nanoTime() - echoUsed > KEEP_IDLE_NANOS) {
                closeQuietly(echoSocket);
                echoSocket = connect(echo);
                echoIn = new BufferedInputStream(echoSocket.getInputStream());
            }
            echoRoundTrip(echoSocket, echoIn, i);
            echoUsed = System.nanoTime();
        }

        void http() throws IOException {
            if (httpSocket == null || System.nanoTime() - httpUsed > KEEP_IDLE_NANOS) {
                closeQuietly(httpSocket);
                httpSocket = connect(http);
                httpIn = new BufferedInputStream(httpSocket.getInputStream());
            }
            httpSocket.getOutputStream().write(get("/index.html", "keep-alive"));
            readResponse(httpIn, false);
            httpUsed = System.nanoTime();
        }

        /** A datagram and its echo; a late reply to an earlier datagram is skipped. */
        void udp(long i) throws IOException {
            if (udp == null) {
                udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                udp.setSoTimeout(TIMEOUT_MILLIS);
            }
            byte[] text = ("soak " + i).getBytes(StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(text, text.length, echoUdp));
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
            while (true) {
                DatagramPacket reply = new DatagramPacket(udpBuffer, udpBuffer.length);
                udp.receive(reply);
                if (Arrays.equals(text, 0, text.length, udpBuffer, 0, reply.getLength())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("no echo of datagram " + i);
                }
            }
        }

        /** After an error: the kept connections may be in any state, so the next request opens new ones. */
        void closeAll() {
            closeQuietly(echoSocket);
            closeQuietly(httpSocket);
            echoSocket = null;
            httpSocket = null;
        }

        @Override
        public void close() {
            closeAll();
            if (udp != null) {
                udp.close();
            }
        }

        private static void closeQuietly(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // already broken: nothing to release
                }
            }
        }
    }
}
