package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.events.Refusal;
import io.sockethost.core.events.ServerEvents;

/**
 * The PROXY protocol on real loopback sockets, in {@code sync} and {@code threading} (platform and virtual
 * threads) concurrency: handlers, verify rules, the verify hook and the per-client cap see the client the header
 * names; a connection without a valid header from a trusted peer never reaches any of them. ({@code forking}:
 * forking-tests' ProxyProtocolForkingIT; the real distribution: distribution's ProxyProtocolIT.)
 */
@Timeout(30)
class ProxyProtocolServerTest {
    private static final String SYNC = "{\"mode\": \"sync\"}";
    private static final String PLATFORM = "{\"mode\": \"threading\", \"virtualThreads\": false}";
    private static final String VIRTUAL = "{\"mode\": \"threading\", \"virtualThreads\": true}";
    private static final String PAYLOAD = "hello\n";

    /** What each server saw: the clients handlers ran for, and the refusals by reason. */
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final List<Refusal> refused = new CopyOnWriteArrayList<>();
    private final List<String> verified = new CopyOnWriteArrayList<>();

    /** Answers with the client it sees, then echoes until the client closes. */
    private StreamHandler whoAmI() {
        return request -> {
            served.add(request.clientAddress().toString());
            request.output().write((request.clientAddress() + "\n").getBytes(StandardCharsets.UTF_8));
            request.output().flush();
            request.input().transferTo(request.output());
        };
    }

    private TestServers.Running start(String concurrency, String more) throws Exception {
        return start("{\"address\": \"127.0.0.1:0\", \"concurrency\": " + concurrency + ", " + more + "}");
    }

    private TestServers.Running start(String declaration) throws Exception {
        var config = TestServers.config(declaration);
        ServerHooks hooks = new ServerHooks() {
            @Override
            public boolean verifyRequest(ServerContext server, SocketAddress client) {
                verified.add(client.toString());
                return true;
            }
        };
        StreamServer server = new StreamServer(config, this::whoAmI, hooks,
                TestServers.dispatcher(config.name(), config.concurrency()));
        server.observe(new ServerEvents() {
            @Override
            public void refused(Refusal reason) {
                refused.add(reason);
            }
        });
        return new TestServers.Running(server);
    }

    private static String trusting(String cidr) {
        return "\"proxyProtocol\": {\"trusted\": [\"" + cidr + "\"], \"headerTimeout\": 0.5}";
    }

    private static final String TRUSTING_LOOPBACK = trusting("127.0.0.1/32");

    static byte[] v1(String src, int port) {
        return ("PROXY TCP4 " + src + " 127.0.0.1 " + port + " 8000\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] v2(String src, int port) throws IOException {
        return ByteBuffer.allocate(28).put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A})
                .put((byte) 0x21).put((byte) 0x11).putShort((short) 12).put(InetAddress.getByName(src).getAddress())
                .put(InetAddress.getByName("127.0.0.1").getAddress()).putShort((short) port).putShort((short) 8000).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static Socket connect(TestServers.Running s) throws IOException {
        return StreamServerTest.connect(s.inet());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("closed after \"" + out + "\"");
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Sends {@code bytes} in one write and returns the first line the server answers. */
    private static String firstLine(TestServers.Running s, byte[] bytes) throws IOException {
        try (Socket socket = connect(s)) {
            socket.getOutputStream().write(bytes);
            return line(socket.getInputStream());
        }
    }

    /** Whether the server closes the connection without a word (a reset counts as closing too). */
    private static boolean closedWithoutAnswer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void v1AndV2HeadersNameTheClientThatHandlersAndTheHookSee(String concurrency) throws Exception {
        try (TestServers.Running s = start(concurrency, TRUSTING_LOOPBACK)) {
            assertThat(firstLine(s, v1("203.0.113.7", 40001))).isEqualTo("/203.0.113.7:40001");
            assertThat(firstLine(s, v2("198.51.100.9", 40002))).isEqualTo("/198.51.100.9:40002");
            assertThat(verified).containsExactly("/203.0.113.7:40001", "/198.51.100.9:40002");
            assertThat(served).containsExactly("/203.0.113.7:40001", "/198.51.100.9:40002");
            assertThat(refused).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void bytesSentWithTheHeaderInOneSegmentReachTheHandler(String concurrency) throws Exception {
        try (TestServers.Running s = start(concurrency, TRUSTING_LOOPBACK)) {
            for (byte[] header : List.of(v1("203.0.113.7", 1), v2("203.0.113.7", 1))) {
                try (Socket socket = connect(s)) {
                    socket.getOutputStream().write(concat(header, PAYLOAD.getBytes(StandardCharsets.US_ASCII)));
                    socket.shutdownOutput();
                    assertThat(line(socket.getInputStream())).isEqualTo("/203.0.113.7:1");
                    assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(PAYLOAD);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void aConnectionWithoutAHeaderIsClosedBeforeAnyHandlerOrHook(String concurrency) throws Exception {
        assertClosedBeforeAnyHandler(concurrency, TRUSTING_LOOPBACK, PAYLOAD.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void aHeaderWithUnixAddressesOnATcpConnectionIsRefused(String concurrency) throws Exception {
        byte[] body = new byte[216];
        byte[] src = "/run/client.sock".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(src, 0, body, 0, src.length);
        byte[] header = concat(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                0x21, 0x31, (byte) (body.length >> 8), (byte) body.length}, body);
        assertClosedBeforeAnyHandler(concurrency, TRUSTING_LOOPBACK, header);
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void anUntrustedPeerIsClosedBeforeItsHeaderIsRead(String concurrency) throws Exception {
        // a valid header, from the wrong sender
        assertClosedBeforeAnyHandler(concurrency, trusting("10.0.0.0/8"), v1("203.0.113.7", 1));
    }

    private void assertClosedBeforeAnyHandler(String concurrency, String proxyProtocol, byte[] sent) throws Exception {
        try (TestServers.Running s = start(concurrency, proxyProtocol)) {
            try (Socket socket = connect(s)) {
                socket.getOutputStream().write(sent);
                assertThat(closedWithoutAnswer(socket)).isTrue();
            }
            assertRefusedForTheHeader(1);
            assertThat(served).isEmpty();
            assertThat(verified).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void aTruncatedHeaderIsClosedWhetherTheClientEndsOrWaits(String concurrency) throws Exception {
        try (TestServers.Running s = start(concurrency, TRUSTING_LOOPBACK)) {
            byte[] header = v2("203.0.113.7", 1);
            try (Socket ends = connect(s)) {
                ends.getOutputStream().write(header, 0, 20);
                ends.shutdownOutput();
                assertThat(closedWithoutAnswer(ends)).isTrue();
            }
            try (Socket waits = connect(s)) {
                waits.getOutputStream().write(v1("203.0.113.7", 1), 0, 20);
                assertThat(closedWithoutAnswer(waits)).as("closed at the header timeout").isTrue();
            }
            assertRefusedForTheHeader(2);
            assertThat(served).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM, VIRTUAL})
    void aSilentClientDoesNotKeepOthersWaiting(String concurrency) throws Exception {
        // a header timeout far beyond what the others may take: only not blocking the loop lets them through
        try (TestServers.Running s = start(concurrency, "\"proxyProtocol\": {\"trusted\": [\"127.0.0.1\"], \"headerTimeout\": 60}");
             Socket silent = connect(s); Socket halfHeader = connect(s)) {
            halfHeader.getOutputStream().write(v1("203.0.113.7", 1), 0, 10);
            for (int i = 0; i < 3; i++) {
                assertThat(firstLine(s, v2("198.51.100." + (i + 1), 2))).isEqualTo("/198.51.100." + (i + 1) + ":2");
            }
            silent.setSoTimeout(200);
            try {
                silent.getInputStream().read();
                throw new AssertionError("the silent connection was closed before its header timeout");
            } catch (SocketTimeoutException expected) {
                // still waiting for its header
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SYNC, PLATFORM})
    void verifyRulesJudgeTheClientTheHeaderNames(String concurrency) throws Exception {
        try (TestServers.Running s = start(concurrency, TRUSTING_LOOPBACK
                + ", \"verify\": {\"deny\": [\"203.0.113.0/24\"]}")) {
            try (Socket denied = connect(s)) {
                denied.getOutputStream().write(v1("203.0.113.7", 1));
                assertThat(closedWithoutAnswer(denied)).isTrue();
            }
            assertThat(firstLine(s, v1("198.51.100.1", 1))).isEqualTo("/198.51.100.1:1");
            assertThat(refused).containsExactly(Refusal.RULES);
            assertThat(served).containsExactly("/198.51.100.1:1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {PLATFORM, VIRTUAL})
    void thePerClientCapCountsTheClientsTheHeadersName(String concurrency) throws Exception {
        try (TestServers.Running s = start(concurrency, TRUSTING_LOOPBACK + ", \"verify\": {\"maxConnectionsPerClient\": 1}");
             Socket first = connect(s); Socket second = connect(s)) {
            first.getOutputStream().write(v1("203.0.113.7", 1));
            assertThat(line(first.getInputStream())).isEqualTo("/203.0.113.7:1");
            second.getOutputStream().write(v1("203.0.113.7", 2));
            assertThat(closedWithoutAnswer(second)).as("a second connection of 203.0.113.7").isTrue();
            // every connection comes from 127.0.0.1; another original client still gets in
            assertThat(firstLine(s, v1("203.0.113.8", 3))).isEqualTo("/203.0.113.8:3");
            assertThat(refused).containsExactly(Refusal.LIMIT);
        }
    }

    @Test
    void aV2LocalHeaderKeepsTheRealPeer() throws Exception {
        byte[] local = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00};
        try (TestServers.Running s = start(PLATFORM, TRUSTING_LOOPBACK); Socket socket = connect(s)) {
            socket.getOutputStream().write(local);
            assertThat(line(socket.getInputStream())).isEqualTo(socket.getLocalSocketAddress().toString());
        }
    }

    @Test
    void handleRequestReadsTheHeaderOnItsOwnThread() throws Exception {
        var config = TestServers.config("{\"address\": \"127.0.0.1:0\", \"concurrency\": " + SYNC + ", " + TRUSTING_LOOPBACK + "}");
        try (StreamServer server = new StreamServer(config, this::whoAmI, TestServers.NO_HOOKS,
                TestServers.dispatcher(config.name(), config.concurrency()))) {
            server.open();
            try (Socket socket = StreamServerTest.connect((InetSocketAddress) server.boundAddress())) {
                socket.getOutputStream().write(concat(v1("203.0.113.7", 5), PAYLOAD.getBytes(StandardCharsets.US_ASCII)));
                socket.shutdownOutput();
                assertThat(server.handleRequest()).isTrue();
                assertThat(line(socket.getInputStream())).isEqualTo("/203.0.113.7:5");
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(PAYLOAD);
            }
        }
    }

    @Test
    void unixStreamServersReadItToo(@TempDir Path dir) throws Exception {
        Path socketFile = dir.resolve("proxied.sock");
        try (TestServers.Running s = start("{\"transport\": \"unix-stream\", \"address\": \"" + socketFile
                + "\", \"concurrency\": " + PLATFORM + ", \"proxyProtocol\": {}}");
             SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            channel.write(ByteBuffer.wrap(concat(v2("203.0.113.7", 9), PAYLOAD.getBytes(StandardCharsets.US_ASCII))));
            channel.shutdownOutput();
            InputStream in = Channels.newInputStream(channel);
            assertThat(line(in)).isEqualTo("/203.0.113.7:9");
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(PAYLOAD);
        }
    }

    /** The server counts a refusal before it closes the connection, so a client that saw the close sees the count. */
    private void assertRefusedForTheHeader(int count) {
        assertThat(refused).hasSize(count).containsOnly(Refusal.PROXY);
    }
}
