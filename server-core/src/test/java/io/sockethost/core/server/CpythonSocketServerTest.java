package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.config.ServerConfig;

/**
 * CPython's {@code Lib/test/test_socketserver.py}, case by case, on the Java API, each with the assertion
 * CPython makes. Every case and the Java test that ports it:
 * <ul>
 *   <li>{@code SocketServerTest.test_TCPServer}, {@code test_ThreadingTCPServer}, {@code test_UnixStreamServer},
 *       {@code test_ThreadingUnixStreamServer}, {@code test_UDPServer}, {@code test_ThreadingUDPServer},
 *       {@code test_UnixDatagramServer}, {@code test_ThreadingUnixDatagramServer} -> {@link #servesThreeClientsThenShutsDownAndCloses}
 *       (every transport, IPv4 and IPv6, x sync / threading: {@code run_server}'s three clients, then
 *       {@code shutdown}, the serve loop's end, and the socket closed as seen from a client);</li>
 *   <li>{@code test_ForkingTCPServer}, {@code test_ForkingUnixStreamServer}, {@code test_ForkingUDPServer},
 *       {@code test_ForkingUnixDatagramServer} (with bpo-31151's {@code assertFalse(server.active_children)}
 *       after closing) -> {@code forking-tests}' {@code CpythonForkingIT.forkingTcpServer},
 *       {@code forkingUnixStreamServer}, {@code forkingUdpServer} and {@code forkingUnixDatagramServer}, real
 *       worker processes of a real plugin jar in a real host;</li>
 *   <li>{@code ErrorHandlerTest.test_forking_handled}, {@code test_forking_not_handled} -> {@code forking-tests}'
 *       {@code CpythonForkingIT.forkingHandled} and {@code forkingNotHandled} (CPython's log file: the hook
 *       runs in the worker for an exception, not for an {@code Error}), and
 *       {@code ForkingServerIT.aHandlerErrorIsLoggedByTheHostWithTheWorkersPidAndTheWorkerGoesOn};</li>
 *   <li>{@code test_shutdown} -> {@link #shutdownAlwaysMakesServeForeverReturn};</li>
 *   <li>{@code test_close_immediately} -> {@link #closeImmediatelyAfterOpen};</li>
 *   <li>{@code test_tcpserver_bind_leak} -> {@link #failedBindsLeakNoFileDescriptors};</li>
 *   <li>{@code test_context_manager} -> {@link #tryWithResourcesClosesTheSocket};</li>
 *   <li>{@code ErrorHandlerTest.test_sync_handled}, {@code test_threading_handled} -> {@link #anExceptionGoesToHandleError};</li>
 *   <li>{@code ErrorHandlerTest.test_sync_not_handled}, {@code test_threading_not_handled} ->
 *       {@link #anErrorBypassesHandleError} (Java's {@code Error} plays SystemExit's part and, as there, never
 *       reaches the hook; unlike Python's sync server, which lets SystemExit end {@code handle_request}, the
 *       server logs it and keeps serving);</li>
 *   <li>{@code SocketWriterTest.test_basics} -> {@link #theOutputIsABufferedStreamOverTheConnectionsOwnSocket};</li>
 *   <li>{@code SocketWriterTest.test_write} -> {@link #aWriteLeavesWithoutFlushAndALargeWriteArrivesWhole};</li>
 *   <li>{@code MiscTestCase.test_shutdown_request_called_if_verify_request_false} -> {@link #aRefusedRequestIsStillClosed};</li>
 *   <li>{@code MiscTestCase.test_threads_reaped} -> {@link #finishedRequestThreadsAreNotKept};</li>
 *   <li>{@code MiscTestCase.test_all} has no Java counterpart (the compiler checks exports).</li>
 * </ul>
 */
@Timeout(60)
class CpythonSocketServerTest {
    static final String TEST_STR = "hello world\n";

    @TempDir
    Path dir;

    /** Python's MyHandler: echo one line. */
    static final class LineEcho implements StreamHandler {
        @Override
        public void handle(io.sockethost.api.StreamRequest request) throws Exception {
            BufferedReader reader = new BufferedReader(new InputStreamReader(request.input(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            request.output().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** DatagramRequestHandler's rfile/wfile: the datagram back. */
    static final class DatagramEcho implements DatagramHandler {
        @Override
        public void handle(io.sockethost.api.DatagramRequest request) throws Exception {
            Channels.newChannel(request.output()).write(request.payload());
        }
    }

    static Stream<Arguments> transportsAndModes() {
        List<Arguments> cases = new ArrayList<>();
        for (String transport : List.of("tcp4", "tcp6", "udp4", "udp6", "unix-stream", "unix-datagram")) {
            for (String mode : List.of("sync", "threading")) {
                cases.add(Arguments.of(transport, mode));
            }
        }
        return cases.stream();
    }

    private String address(String transport) {
        return switch (transport) {
            case "tcp4", "udp4" -> "127.0.0.1:0";
            case "tcp6", "udp6" -> "[::1]:0";
            default -> dir.resolve(transport + ".sock").toString();
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transportsAndModes")
    void servesThreeClientsThenShutsDownAndCloses(String transport, String mode) throws Exception {
        if (transport.endsWith("6")) {
            Assumptions.assumeTrue(StreamServerTest.ipv6Loopback(), "no IPv6 loopback on this machine");
        }
        String wire = transport.replaceAll("[46]$", "");
        ServerConfig config = TestServers.config("{\"transport\": \"" + wire + "\", \"address\": \"" + address(transport)
                + "\", \"pollInterval\": 0.01, \"concurrency\": {\"mode\": \"" + mode + "\"}}", dir);
        boolean stream = config.transport().isStream();
        TestServers.Running s = stream ? TestServers.stream(config, LineEcho::new)
                : TestServers.datagram(config, DatagramEcho::new, TestServers.NO_HOOKS,
                        config.transport().isUnix() ? DatagramServer.UNIX : DatagramServer.UDP);
        try {
            for (int i = 0; i < 3; i++) {
                String reply = stream ? streamExamine(s.server.boundAddress()) : datagramExamine(s.server.boundAddress(), i);
                assertThat(reply).isEqualTo(TEST_STR);
            }
            s.server.shutdown();
            s.loop.join(5_000);
            assertThat(s.loop.isAlive()).isFalse();
        } finally {
            s.close();
        }
        assertThat(s.server.isOpen()).isFalse();
        assertSocketClosed(transport, s.server.boundAddress());
    }

    /**
     * CPython's {@code self.assertEqual(-1, server.socket.fileno())}, seen from outside: nothing holds the
     * address any more. A stream address refuses connections; a UDP port can be bound again without
     * {@code SO_REUSEADDR}, which the server's live socket would prevent; a Unix socket's file is gone.
     */
    private static void assertSocketClosed(String transport, SocketAddress address) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            assertThat(Files.exists(unix.getPath())).as("socket file removed").isFalse();
        }
        if (transport.startsWith("udp")) {
            InetSocketAddress inet = (InetSocketAddress) address;
            try (DatagramChannel again = DatagramChannel.open(inet.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
                again.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, false);
                again.bind(inet); // throws BindException while the server's socket is open
            }
        } else if (!transport.equals("unix-datagram")) {
            assertThatThrownBy(() -> SocketChannel.open(address).close()).as("connecting to a closed server")
                    .isInstanceOf(IOException.class);
        }
    }

    private static String streamExamine(SocketAddress address) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address)) {
            channel.write(ByteBuffer.wrap(TEST_STR.getBytes(StandardCharsets.UTF_8)));
            InputStream in = Channels.newInputStream(channel);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String datagramExamine(SocketAddress address, int i) throws IOException {
        ByteBuffer reply = ByteBuffer.allocate(100);
        if (address instanceof UnixDomainSocketAddress unix) {
            try (AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
                client.bind(AFUNIXSocketAddress.of(dir.resolve("client-" + i + ".sock"))); // bound, as CPython's client
                client.send(ByteBuffer.wrap(TEST_STR.getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(unix.getPath()));
                client.receive(reply);
            }
        } else {
            InetSocketAddress inet = (InetSocketAddress) address;
            try (DatagramChannel client = DatagramChannel.open(inet.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
                client.send(ByteBuffer.wrap(TEST_STR.getBytes(StandardCharsets.UTF_8)), inet);
                client.receive(reply);
            }
        }
        reply.flip();
        return StandardCharsets.UTF_8.decode(reply).toString();
    }

    @Test
    void shutdownAlwaysMakesServeForeverReturn() throws Exception {
        List<TestServers.Running> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                TestServers.Running s = TestServers.stream(TestServers.config(
                        "{\"address\": \"127.0.0.1:0\", \"pollInterval\": 0.01}"), LineEcho::new);
                servers.add(s);
                s.server.shutdown();
            }
            for (TestServers.Running s : servers) {
                s.loop.join(5_000);
                assertThat(s.loop.isAlive()).isFalse();
            }
        } finally {
            for (TestServers.Running s : servers) {
                s.close();
            }
        }
    }

    @Test
    void closeImmediatelyAfterOpen() throws Exception {
        ServerConfig config = TestServers.config("{\"address\": \"127.0.0.1:0\"}");
        StreamServer server = new StreamServer(config, LineEcho::new, TestServers.NO_HOOKS,
                TestServers.dispatcher("t", config.concurrency()));
        server.open();
        server.close();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void failedBindsLeakNoFileDescriptors() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        try (TestServers.Running taken = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), LineEcho::new)) {
            ServerConfig clash = TestServers.config("{\"name\": \"clash\", \"address\": \"127.0.0.1:" + taken.inet().getPort()
                    + "\", \"allowReuseAddress\": false}");
            long before = countFiles(fds);
            for (int i = 0; i < 1024; i++) {
                StreamServer server = new StreamServer(clash, LineEcho::new, TestServers.NO_HOOKS,
                        TestServers.dispatcher("clash", clash.concurrency()));
                assertThatThrownBy(server::open).isInstanceOf(IOException.class);
            }
            assertThat(countFiles(fds)).isLessThan(before + 20);
        }
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.count();
        }
    }

    @Test
    void tryWithResourcesClosesTheSocket() throws Exception {
        ServerConfig config = TestServers.config("{\"address\": \"127.0.0.1:0\"}");
        InetSocketAddress address;
        try (StreamServer server = new StreamServer(config, LineEcho::new, TestServers.NO_HOOKS,
                TestServers.dispatcher("t", config.concurrency()))) {
            server.open();
            address = (InetSocketAddress) server.boundAddress();
        }
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close()).isInstanceOf(IOException.class);
    }

    /** BaseErrorTestServer: connect once, handle_request, record what the handler and handle_error saw. */
    private List<String> runFailingHandler(String mode, Throwable toThrow) throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ServerHooks hooks = new ServerHooks() {
            @Override
            public void handleError(ServerContext server, SocketAddress client, Throwable error) {
                log.add("Error handled");
            }
        };
        ServerConfig config = TestServers.config("{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"" + mode + "\"}}");
        try (StreamServer server = new StreamServer(config, () -> new StreamHandler() {
            @Override
            public void handle(io.sockethost.api.StreamRequest request) throws Exception {
                log.add("Handler called");
                if (toThrow instanceof Exception e) {
                    throw e;
                }
                throw (Error) toThrow;
            }

            @Override
            public void finish(io.sockethost.api.StreamRequest request) {
                done.countDown();
            }
        }, hooks, TestServers.dispatcher("errors", config.concurrency()))) {
            server.open();
            InetSocketAddress address = (InetSocketAddress) server.boundAddress();
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                assertThat(server.handleRequest()).isTrue();
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        return log;
    }

    @Test
    void anExceptionGoesToHandleError() throws Exception {
        for (String mode : List.of("sync", "threading")) {
            assertThat(runFailingHandler(mode, new IllegalArgumentException("Test error"))).as(mode)
                    .containsExactly("Handler called", "Error handled");
        }
    }

    @Test
    void anErrorBypassesHandleError() throws Exception {
        for (String mode : List.of("sync", "threading")) {
            assertThat(runFailingHandler(mode, new AssertionError("Test error"))).as(mode).containsExactly("Handler called");
        }
    }

    /**
     * SocketWriterTest.test_write: a write leaves without {@code flush()} (here because the handler's next
     * read would block, see {@link io.sockethost.api.StreamRequest}), and a large write arrives whole. Python
     * also interrupts the large {@code send} with a signal; a Java thread has no such interruption short of
     * {@code Thread.interrupt()}, which closes the channel by the JDK's contract, so that part has no analogue.
     */
    @Test
    void aWriteLeavesWithoutFlushAndALargeWriteArrivesWhole() throws Exception {
        int big = 16 * 1024 * 1024 + 1; // test.support.SOCK_MAX_SIZE
        List<String> received = new CopyOnWriteArrayList<>();
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\", "
                + "\"concurrency\": {\"mode\": \"sync\"}}"), () -> request -> {
            request.output().write("write data\n".getBytes(StandardCharsets.UTF_8)); // no flush(), as in Python
            received.add(new BufferedReader(new InputStreamReader(request.input(), StandardCharsets.UTF_8)).readLine());
            request.output().write(new byte[big]);
        });
             Socket client = StreamServerTest.connect(s.inet())) {
            InputStream in = client.getInputStream();
            assertThat(readLineRaw(in)).as("response1").isEqualTo("write data");
            client.getOutputStream().write("client response\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readNBytes(100)).hasSize(100);
            assertThat(in.readAllBytes()).as("received2").hasSize(big - 100);
            assertThat(received).as("server.received").containsExactly("client response");
        }
    }

    /**
     * SocketWriterTest.test_basics: {@code wfile} is a buffered stream over the request's own socket
     * ({@code wfile.fileno() == request.fileno()}): here the output is a {@link GrowingBufferedOutputStream},
     * the same object on every call, and closing it closes the connection itself.
     */
    @Test
    void theOutputIsABufferedStreamOverTheConnectionsOwnSocket() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), () -> request -> {
            seen.add(request.output());
            seen.add(request.output() == request.output());
            request.output().close();
        });
             Socket client = StreamServerTest.connect(s.inet())) {
            assertThat(client.getInputStream().read()).as("closing the output closed the socket").isEqualTo(-1);
            assertThat(seen).hasSize(2);
            assertThat(seen.get(0)).isInstanceOf(GrowingBufferedOutputStream.class);
            assertThat(seen.get(1)).isEqualTo(true);
        }
    }

    private static String readLineRaw(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void aRefusedRequestIsStillClosed() throws Exception {
        AtomicInteger created = new AtomicInteger();
        ServerHooks refuse = new ServerHooks() {
            @Override
            public boolean verifyRequest(ServerContext server, SocketAddress client) {
                return false;
            }
        };
        ServerConfig config = TestServers.config("{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"sync\"}}");
        try (StreamServer server = new StreamServer(config, () -> {
            created.incrementAndGet();
            return new LineEcho();
        }, refuse, TestServers.dispatcher("t", config.concurrency()))) {
            server.open();
            InetSocketAddress address = (InetSocketAddress) server.boundAddress();
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                client.setSoTimeout(10_000);
                assertThat(server.handleRequest()).isTrue();
                assertThat(client.getInputStream().read()).as("the server closed the refused connection").isEqualTo(-1);
            }
            assertThat(created).hasValue(0);
        }
    }

    @Test
    void finishedRequestThreadsAreNotKept() throws Exception {
        ServerConfig config = TestServers.config("{\"name\": \"reaped\", \"address\": \"127.0.0.1:0\", "
                + "\"concurrency\": {\"mode\": \"threading\"}}");
        io.sockethost.core.concurrency.RequestDispatcher dispatcher =
                TestServers.dispatcher("reaped", config.concurrency());
        try (StreamServer server = new StreamServer(config, LineEcho::new, TestServers.NO_HOOKS, dispatcher)) {
            server.open();
            InetSocketAddress address = (InetSocketAddress) server.boundAddress();
            for (int i = 0; i < 10; i++) {
                try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                    client.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
                    assertThat(server.handleRequest()).isTrue();
                    client.setSoTimeout(10_000);
                    assertThat(client.getInputStream().readAllBytes()).hasSize(2);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dispatcher.active() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(dispatcher.active()).isZero();
            long workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("reaped-worker-") && t.isAlive()).count();
            assertThat(workers).as("finished requests reuse pooled threads").isLessThan(10);
        }
    }
}
