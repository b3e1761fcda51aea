package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.Refusal;
import io.sockethost.core.events.ServerEvents;
import io.sockethost.core.tls.TestCertificates;

/**
 * TLS on a stream server with the JDK's client: handlers see plain streams under every concurrency, and
 * what the plain streams guarantee (read timeouts, the write watchdog, flush before a read waits, counting)
 * holds for TLS connections; a client that fails or stalls the handshake never reaches a handler.
 */
@Timeout(60)
class TlsServerTest {
    @TempDir
    static Path dir;
    private static TestCertificates.Pem pem;
    private static SSLContext client;

    private static final AtomicInteger HANDLED = new AtomicInteger();

    @BeforeEach
    void certificates() throws Exception {
        TestCertificates.assumeOpenssl();
        if (pem == null) {
            pem = TestCertificates.ec(dir, "server");
            client = TestCertificates.trusting(pem.certificate());
        }
        HANDLED.set(0);
    }

    /** Writes a prompt without flushing, reads a line, answers it: a handler ported from Python. */
    public static final class Prompting implements StreamHandler {
        @Override
        public void handle(StreamRequest request) throws IOException {
            HANDLED.incrementAndGet();
            BufferedReader in = new BufferedReader(new InputStreamReader(request.input(), StandardCharsets.UTF_8));
            request.output().write("name? ".getBytes(StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                request.output().write(("hello " + line + "\nname? ").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static ServerConfig config(String extra) throws Exception {
        return TestServers.config("{\"address\": \"127.0.0.1:0\", \"tls\": {\"certificate\": \"" + pem.certificate()
                + "\", \"privateKey\": \"" + pem.privateKey() + "\"" + extra);
    }

    private static SSLSocket connect(InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String readPrompt(java.io.InputStream in) throws IOException {
        byte[] prompt = in.readNBytes("name? ".length());
        return new String(prompt, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threading-platform", "threading-virtual"})
    void handlersSeePlainStreamsUnderEveryConcurrency(String mode) throws Exception {
        String concurrency = switch (mode) {
            case "sync" -> "{\"mode\": \"sync\"}";
            case "threading-platform" -> "{\"mode\": \"threading\", \"virtualThreads\": false}";
            default -> "{\"mode\": \"threading\", \"virtualThreads\": true}"; // platform threads on Java 17, with a warning
        };
        try (TestServers.Running s = TestServers.stream(config("}, \"concurrency\": " + concurrency + "}"), Prompting::new)) {
            for (int i = 0; i < 2; i++) {
                try (SSLSocket socket = connect(s.inet())) {
                    assertThat(readPrompt(socket.getInputStream())).as("the prompt came without a flush").isEqualTo("name? ");
                    socket.getOutputStream().write("Ada\n".getBytes(StandardCharsets.UTF_8));
                    assertThat(new String(socket.getInputStream().readNBytes("hello Ada\nname? ".length()),
                            StandardCharsets.UTF_8)).isEqualTo("hello Ada\nname? ");
                    assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                }
            }
        }
    }

    /** Behind a balancer the PROXY header comes first, in plain text, and the TLS handshake after it. */
    @Test
    void aProxyProtocolHeaderBeforeTheHandshakeNamesTheClient() throws Exception {
        BlockingQueue<String> clients = new LinkedBlockingQueue<>();
        StreamHandler naming = new StreamHandler() {
            @Override
            public void handle(StreamRequest request) throws IOException {
                clients.add(String.valueOf(request.clientAddress()));
                request.output().write(request.input().readNBytes(5));
            }
        };
        try (TestServers.Running s = TestServers.stream(config("}, \"proxyProtocol\": {\"trusted\": [\"127.0.0.1/32\"]}}"),
                () -> naming);
             Socket plain = new Socket(s.inet().getAddress(), s.inet().getPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("PROXY TCP4 192.0.2.7 127.0.0.1 40001 443\r\n".getBytes(StandardCharsets.US_ASCII));
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", s.inet().getPort(), true)) {
                socket.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            assertThat(clients.poll(10, TimeUnit.SECONDS)).isEqualTo("/192.0.2.7:40001");
        }
    }

    @Test
    void onlyTls13And12AreSpoken() throws Exception {
        try (TestServers.Running s = TestServers.stream(config("}}"), Prompting::new)) {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (SSLSocket socket = connect(s.inet())) {
                    socket.setEnabledProtocols(new String[] {protocol});
                    assertThat(readPrompt(socket.getInputStream())).isEqualTo("name? ");
                    assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                }
            }
        }
    }

    @Test
    void aRenegotiationTheClientStartsIsRefused() throws Exception {
        try (TestServers.Running s = TestServers.stream(config("}}"), Prompting::new);
             SSLSocket socket = connect(s.inet())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThat(readPrompt(socket.getInputStream())).isEqualTo("name? ");
            assertThatThrownBy(() -> {
                socket.startHandshake(); // TLS 1.2: a new handshake over the established session
                socket.getOutputStream().write("Ada\n".getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                socket.getInputStream().read();
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void plainTextOnATlsPortNeverReachesTheHandlerAndTheServerGoesOn() throws Exception {
        List<Refusal> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamServer server = new StreamServer(config("}, \"concurrency\": {\"mode\": \"sync\"}}"), Prompting::new,
                TestServers.NO_HOOKS, new io.sockethost.core.concurrency.InlineDispatcher());
        server.observe(new ServerEvents() {
            @Override
            public void refused(Refusal reason) {
                refused.add(reason);
            }
        });
        try (TestServers.Running s = new TestServers.Running(server)) {
            try (Socket plain = new Socket(s.inet().getAddress(), s.inet().getPort())) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
                try {
                    plain.getInputStream().transferTo(answer);
                } catch (java.net.SocketException e) {
                    // reset: the server closed with the plain text unread, as it should
                }
                assertThat(answer.toString(StandardCharsets.ISO_8859_1)).as("no plain text comes back").doesNotContain("name?");
            }
            try (SSLSocket socket = connect(s.inet())) {
                assertThat(readPrompt(socket.getInputStream())).isEqualTo("name? ");
            }
            assertThat(HANDLED).hasValue(1);
            assertThat(refused).as("the failed handshake is counted").containsExactly(Refusal.TLS);
        }
    }

    @Test
    void aClientThatNeverFinishesTheHandshakeIsClosedAtTheHandshakeTimeout() throws Exception {
        try (TestServers.Running s = TestServers.stream(config(", \"handshakeTimeout\": 0.5}, \"concurrency\": "
                + "{\"mode\": \"sync\"}}"), Prompting::new)) {
            try (SSLSocket socket = connect(s.inet())) {
                // the first handshake of a JVM loads and compiles a lot: it may take longer than this timeout
                socket.getInputStream().read();
            } catch (IOException e) {
                // warmed up anyway
            }
            try (Socket silent = new Socket(s.inet().getAddress(), s.inet().getPort())) {
                silent.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            }
            try (SSLSocket socket = connect(s.inet())) {
                assertThat(readPrompt(socket.getInputStream())).as("a sync server is free again").isEqualTo("name? ");
            }
        }
    }

    @Test
    void aClientThatTricklesTheHandshakeIsClosedAtTheDeadlineToo() throws Exception {
        try (TestServers.Running s = TestServers.stream(config(", \"handshakeTimeout\": 0.5}}"), Prompting::new);
             Socket trickle = new Socket(s.inet().getAddress(), s.inet().getPort())) {
            trickle.setSoTimeout(200);
            OutputStream out = trickle.getOutputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // a TLS record header announcing a long ClientHello, then one byte per read timeout of the client
            out.write(new byte[] {0x16, 0x03, 0x01, 0x10, 0x00});
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                try {
                    out.write(0x01);
                    closed = trickle.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException e) {
                    // still open: trickle on
                } catch (IOException e) {
                    closed = true; // reset by the server
                }
            }
            assertThat(closed).as("closed by the handshake deadline, however slowly bytes arrive").isTrue();
            assertThat(HANDLED).hasValue(0);
        }
    }

    /** Keeps the read timeout it was given; answers nothing. */
    public static final class Silent implements StreamHandler {
        static final BlockingQueue<Throwable> ENDINGS = new LinkedBlockingQueue<>();

        @Override
        public void handle(StreamRequest request) throws IOException {
            try {
                request.input().read();
            } catch (IOException e) {
                ENDINGS.add(e);
                throw e;
            }
        }
    }

    @Test
    void theReadTimeoutHoldsOnTlsConnections() throws Exception {
        Silent.ENDINGS.clear();
        try (TestServers.Running s = TestServers.stream(config("}, \"readTimeout\": 0.3}"), Silent::new);
             SSLSocket socket = connect(s.inet())) {
            socket.startHandshake();
            assertThat(Silent.ENDINGS.poll(10, TimeUnit.SECONDS)).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    /** Writes until the write fails. */
    public static final class Flood implements StreamHandler {
        static final BlockingQueue<Throwable> ENDINGS = new LinkedBlockingQueue<>();

        @Override
        public void handle(StreamRequest request) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    request.output().write(chunk);
                }
            } catch (IOException e) {
                ENDINGS.add(e);
                throw e;
            }
        }
    }

    @Test
    void theWriteWatchdogClosesATlsClientThatStopsReading() throws Exception {
        Flood.ENDINGS.clear();
        try (TestServers.Running s = TestServers.stream(config("}, \"writeTimeout\": 0.3}"), Flood::new);
             SSLSocket stalled = connect(s.inet())) {
            stalled.startHandshake();
            assertThat(Flood.ENDINGS.poll(20, TimeUnit.SECONDS)).as("the blocked write ended").isInstanceOf(IOException.class);
        }
    }

    @Test
    void bytesAreCountedAsTheApplicationSeesThem() throws Exception {
        AtomicLong in = new AtomicLong();
        AtomicLong out = new AtomicLong();
        StreamServer server = new StreamServer(config("}, \"concurrency\": {\"mode\": \"sync\"}}"), Prompting::new,
                TestServers.NO_HOOKS, new io.sockethost.core.concurrency.InlineDispatcher());
        server.observe(new ServerEvents() {
            @Override
            public void bytesIn(long count) {
                in.addAndGet(count);
            }

            @Override
            public void bytesOut(long count) {
                out.addAndGet(count);
            }
        });
        try (TestServers.Running s = new TestServers.Running(server)) {
            try (SSLSocket socket = connect(s.inet())) {
                readPrompt(socket.getInputStream());
                socket.getOutputStream().write("Ada\n".getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().readNBytes("hello Ada\nname? ".length());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (out.get() < 22 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(in).hasValue(4);
            assertThat(out).hasValue("name? hello Ada\nname? ".length());
        }
    }

    @Test
    void aBrokenCertificateKeepsTheServerFromBeingBuilt() throws Exception {
        ServerConfig broken = TestServers.config("{\"address\": \"127.0.0.1:0\", \"tls\": {\"certificate\": \""
                + pem.privateKey() + "\", \"privateKey\": \"" + pem.privateKey() + "\"}}");
        assertThatThrownBy(() -> new StreamServer(broken, Prompting::new, TestServers.NO_HOOKS,
                new io.sockethost.core.concurrency.InlineDispatcher()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void reloadSwapsTheCertificateWithoutClosingTheListener() throws Exception {
        Path certificate = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        java.nio.file.Files.copy(pem.certificate(), certificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.copy(pem.privateKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ServerConfig config = TestServers.config("{\"address\": \"127.0.0.1:0\", \"tls\": {\"certificate\": \""
                + certificate + "\", \"privateKey\": \"" + key + "\"}}");
        try (TestServers.Running s = TestServers.stream(config, Prompting::new)) {
            StreamServer server = (StreamServer) s.server;
            assertThat(server.reloadTls()).as("nothing changed").isFalse();
            TestCertificates.Pem renewed = TestCertificates.ec(dir, "renewed");
            java.nio.file.Files.copy(renewed.certificate(), certificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(renewed.privateKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.reloadTls()).isTrue();
            try (SSLSocket old = connect(s.inet())) {
                assertThatThrownBy(old::startHandshake).as("the old certificate is gone").isInstanceOf(SSLException.class);
            }
            SSLContext trustingRenewed = TestCertificates.trusting(renewed.certificate());
            try (SSLSocket socket = (SSLSocket) trustingRenewed.getSocketFactory().createSocket(s.inet().getAddress(),
                    s.inet().getPort())) {
                socket.setSoTimeout(10_000);
                assertThat(readPrompt(socket.getInputStream())).isEqualTo("name? ");
            }
        }
    }
}
