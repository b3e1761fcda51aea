package io.sockethost.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.HdrHistogram.Histogram;

/**
 * {@link Workload#HTTPS_GET}: HTTP/1.1 keep-alive GETs over TLS, one blocking {@link SSLSocket} and one
 * thread per connection (the selector client of the other workloads speaks no TLS). Each connection does its
 * handshake once, before the window, so the step measures serving over TLS, not handshakes; responses are
 * framed by {@code Content-Length}. The server's certificate is the run's own, made for this loopback run,
 * so it is not verified.
 */
public final class TlsHttpClient {
    private static final int MAX_HEAD = 16 * 1024;
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private TlsHttpClient() {
    }

    /** A TLS connection to a benchmark server, handshake done. */
    public static SSLSocket connect(InetSocketAddress target, int timeoutMillis) throws IOException {
        SSLSocket socket = (SSLSocket) CONTEXT.getSocketFactory().createSocket();
        try {
            socket.connect(target, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * @param in the connection's input, buffered (one response is read at a time, so nothing of the next
     *     one is left in the buffer)
     * @return the status of one GET on an open connection, after its whole body was read
     */
    public static int get(SSLSocket socket, InputStream in, byte[] request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        byte[] head = new byte[MAX_HEAD];
        int length = 0;
        while (length < 4 || head[length - 4] != '\r' || head[length - 3] != '\n' || head[length - 2] != '\r'
                || head[length - 1] != '\n') {
            int b = in.read();
            if (b < 0 || length == MAX_HEAD) {
                throw new IOException(b < 0 ? "connection closed" : "response head too long");
            }
            head[length++] = (byte) b;
        }
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        long body = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                body = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.skipNBytes(body); // EOFException if the body is cut short
        return status;
    }

    /** Runs one step: warm-up, then the measured window, then every connection is closed. */
    public static LoadResult run(LoadSpec spec, LoadClient.WindowObserver observer) throws InterruptedException {
        String host = spec.target().getAddress().getHostAddress();
        byte[] request = ("GET " + spec.httpPath() + " HTTP/1.1\r\nHost: " + host + ":" + spec.target().getPort()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long windowStart = System.nanoTime() + spec.warmup().toNanos();
        long windowEnd = windowStart + spec.duration().toNanos();
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < spec.connections(); i++) {
            Connection c = new Connection(spec.target(), request, windowStart, windowEnd);
            connections.add(c);
            c.thread.start();
        }
        LoadClient.sleepUntil(windowStart);
        observer.opened();
        LoadClient.sleepUntil(windowEnd);
        observer.closed();
        Histogram all = new Histogram(HIGHEST_NANOS, 3);
        Map<String, Long> errors = new HashMap<>();
        long completed = 0;
        for (Connection c : connections) {
            c.thread.join(5_000);
            if (c.thread.isAlive()) {
                c.thread.interrupt();
                errors.merge("client thread did not stop", 1L, Long::sum);
            }
            all.add(c.histogram);
            completed += c.completed;
            c.errors.forEach((kind, count) -> errors.merge(kind, count, Long::sum));
        }
        return new LoadResult(completed, spec.duration().toNanos() / 1e9, errors, Latency.of(all), "sockethost-bench-tls");
    }

    /** One connection and its thread, reconnecting after an error. */
    private static final class Connection implements Runnable {
        final Thread thread;
        final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
        final Map<String, Long> errors = new HashMap<>();
        long completed;
        private final InetSocketAddress target;
        private final byte[] request;
        private final long windowStart;
        private final long windowEnd;

        Connection(InetSocketAddress target, byte[] request, long windowStart, long windowEnd) {
            this.target = target;
            this.request = request;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.thread = new Thread(this, "bench-tls-client");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            SSLSocket socket = null;
            InputStream in = null;
            try {
                while (System.nanoTime() < windowEnd && !Thread.currentThread().isInterrupted()) {
                    try {
                        if (socket == null) {
                            socket = connect(target, 2_000);
                            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                        }
                        long start = System.nanoTime();
                        int status = get(socket, in, request);
                        long end = System.nanoTime();
                        if (status != 200) {
                            errors.merge("HTTP status " + status, 1L, Long::sum);
                        } else if (start >= windowStart && end <= windowEnd) {
                            histogram.recordValue(Math.min(end - start, HIGHEST_NANOS));
                            completed++;
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.merge("exchange: " + e.getClass().getSimpleName(), 1L, Long::sum);
                        close(socket);
                        socket = null;
                    }
                }
            } finally {
                close(socket);
            }
        }

        private static void close(SSLSocket socket) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // the step is over for this connection either way
                }
            }
        }
    }

    private static final SSLContext CONTEXT = trustingAll();

    private static SSLContext trustingAll() {
        TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {all}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
