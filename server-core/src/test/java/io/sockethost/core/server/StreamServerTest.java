package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/** TCP servers on real loopback sockets: concurrency, failures, verify rules and the Python lifecycle. */
@Timeout(30)
class StreamServerTest {

    /** Echoes chunks until the client closes. */
    static final class Echo implements StreamHandler {
        @Override
        public void handle(StreamRequest request) throws Exception {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = request.input().read(buffer)) > 0) {
                request.output().write(buffer, 0, n);
                request.output().flush();
            }
        }
    }

    static String exchange(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[text.length()];
        InputStream in = socket.getInputStream();
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                throw new IOException("closed after " + read + " bytes");
            }
            read += n;
        }
        return new String(buffer, StandardCharsets.UTF_8);
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void syncServesASecondClientOnlyAfterTheFirstCloses() throws Exception {
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"sync\"}}"), Echo::new)) {
            try (Socket first = connect(s.inet()); Socket second = connect(s.inet())) {
                assertThat(exchange(first, "one")).isEqualTo("one");
                second.getOutputStream().write("two".getBytes(StandardCharsets.UTF_8));
                second.setSoTimeout(300);
                assertThatThrownBy(() -> second.getInputStream().read())
                        .as("sync server answers nobody else while serving the first client")
                        .isInstanceOf(SocketTimeoutException.class);
                first.close();
                second.setSoTimeout(10_000);
                byte[] reply = second.getInputStream().readNBytes(3);
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("two");
            }
        }
    }

    @Test
    void threadingServesFiftyClientsWhileAnotherHoldsAnIdleConnection() throws Exception {
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\", \"maxWorkers\": 64}}"), Echo::new);
             Socket idle = connect(s.inet())) {
            ExecutorService clients = Executors.newFixedThreadPool(50);
            try {
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String text = "client-" + i;
                    replies.add(clients.submit(() -> {
                        try (Socket socket = connect(s.inet())) {
                            return exchange(socket, text);
                        }
                    }));
                }
                for (int i = 0; i < 50; i++) {
                    assertThat(replies.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("client-" + i);
                }
            } finally {
                clients.shutdownNow();
                assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(idle.isClosed()).isFalse();
        }
    }

    @Test
    void threadingBoundsRunningRequestsAtMaxWorkers() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\", \"maxWorkers\": 2}, "
                        + "\"verify\": {\"maxConnectionsPerClient\": 0}}"), () -> request -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        request.output().write('x');
                        request.output().flush();
                        release.await();
                    } finally {
                        running.decrementAndGet();
                    }
                })) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    sockets.add(connect(s.inet()));
                }
                assertThat(sockets.get(0).getInputStream().read()).isEqualTo('x');
                assertThat(sockets.get(1).getInputStream().read()).isEqualTo('x');
                sockets.get(2).setSoTimeout(300);
                assertThatThrownBy(() -> sockets.get(2).getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                release.countDown();
                sockets.get(2).setSoTimeout(10_000);
                assertThat(sockets.get(2).getInputStream().read()).isEqualTo('x');
                assertThat(sockets.get(3).getInputStream().read()).isEqualTo('x');
                assertThat(peak.get()).isEqualTo(2);
            } finally {
                release.countDown();
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aHandlerThatThrowsLeavesTheServerServingAndFinishStillRuns() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        ServerHooks hooks = new ServerHooks() {
            @Override
            public void handleError(ServerContext server, SocketAddress client, Throwable error) {
                reported.add(error);
            }
        };
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"sync\"}}"), () -> new StreamHandler() {
                    @Override
                    public void handle(StreamRequest request) throws Exception {
                        int first = request.input().read();
                        if (first == 'b') {
                            steps.add("handle-throws");
                            throw new IllegalStateException("boom");
                        }
                        request.output().write(first);
                    }

                    @Override
                    public void finish(StreamRequest request) {
                        steps.add("finish");
                    }
                }, hooks)) {
            try (Socket bad = connect(s.inet())) {
                bad.getOutputStream().write('b');
                assertThat(bad.getInputStream().read()).as("connection closed after the failure").isEqualTo(-1);
            }
            try (Socket good = connect(s.inet())) {
                good.getOutputStream().write('g');
                assertThat(good.getInputStream().read()).isEqualTo('g');
            }
            assertThat(steps).containsExactly("handle-throws", "finish", "finish");
            assertThat(reported).singleElement().satisfies(e -> assertThat(e).hasMessage("boom"));
        }
    }

    @Test
    void setupFailureSkipsHandleAndFinish() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"sync\"}}"), () -> new StreamHandler() {
                    @Override
                    public void setup(StreamRequest request) {
                        steps.add("setup");
                        throw new IllegalStateException("no");
                    }

                    @Override
                    public void handle(StreamRequest request) {
                        steps.add("handle");
                    }

                    @Override
                    public void finish(StreamRequest request) {
                        steps.add("finish");
                    }
                });
             Socket client = connect(s.inet())) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(steps).containsExactly("setup");
        }
    }

    @Test
    void aClientThatResetsMidRequestLeavesTheServerServing() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        CountDownLatch reading = new CountDownLatch(1);
        ServerHooks hooks = new ServerHooks() {
            @Override
            public void handleError(ServerContext server, SocketAddress client, Throwable error) {
                reported.add(error);
            }
        };
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"sync\"}}"), () -> request -> {
                    reading.countDown();
                    byte[] big = new byte[64 * 1024];
                    // keep writing so the reset hits a write (broken pipe / connection reset)
                    while (request.input().read() >= 0) {
                        request.output().write(big);
                        request.output().flush();
                    }
                }, hooks)) {
            Socket resetting = connect(s.inet());
            resetting.getOutputStream().write(new byte[] {1, 2, 3});
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            resetting.setSoLinger(true, 0); // close with RST
            resetting.close();
            try (Socket next = connect(s.inet())) {
                next.getOutputStream().write('n');
                assertThat(next.getInputStream().readNBytes(10)).hasSize(10);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reported.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the served 'n' above shows the reset request has ended
            }
            assertThat(reported).as("a reset reaches handleError, as in Python").singleElement()
                    .satisfies(e -> assertThat(Disconnects.isClientDisconnect(e)).isTrue());
        }
    }

    @Test
    void aDeniedClientIsClosedWithoutAHandlerBeingCreated() throws Exception {
        AtomicInteger created = new AtomicInteger();
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"verify\": {\"deny\": [\"127.0.0.0/8\"]}}"), () -> {
                    created.incrementAndGet();
                    return new Echo();
                });
             Socket client = connect(s.inet())) {
            // nothing is sent first: closing a socket with unread input would reset it instead of ending it
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(created).hasValue(0);
        }
    }

    @Test
    void aVerifyHookCanRefuseAClientBeforeAHandlerIsCreated() throws Exception {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger asked = new AtomicInteger();
        ServerHooks refuseFirst = new ServerHooks() {
            @Override
            public boolean verifyRequest(ServerContext server, SocketAddress client) {
                return asked.incrementAndGet() > 1;
            }
        };
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), () -> {
            created.incrementAndGet();
            return new Echo();
        }, refuseFirst)) {
            try (Socket refused = connect(s.inet())) {
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
                assertThat(created).hasValue(0);
            }
            try (Socket accepted = connect(s.inet())) {
                assertThat(exchange(accepted, "ok")).isEqualTo("ok");
            }
            assertThat(created).hasValue(1);
        }
    }

    @Test
    void shutdownReturnsWithinThePollIntervalAndLeavesNoServerThread() throws Exception {
        TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"name\": \"poll-test\", \"address\": \"127.0.0.1:0\", \"pollInterval\": 0.2}"), Echo::new);
        try (Socket client = connect(s.inet())) {
            assertThat(exchange(client, "hi")).isEqualTo("hi");
        }
        long start = System.nanoTime();
        s.server.shutdown();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).isLessThan(200 + 1_000);
        s.loop.join(1_000);
        assertThat(s.loop.isAlive()).isFalse();
        s.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threadsNamed("poll-test-") > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertThat(threadsNamed("poll-test-")).isZero();
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Test
    void handleRequestTimesOutAndCallsTheTimeoutHook() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        ServerHooks hooks = new ServerHooks() {
            @Override
            public void handleTimeout(ServerContext server) {
                timeouts.incrementAndGet();
            }
        };
        var config = TestServers.config("{\"address\": \"127.0.0.1:0\", \"timeout\": 0.1, \"concurrency\": {\"mode\": \"sync\"}}");
        try (StreamServer server = new StreamServer(config, Echo::new, hooks,
                TestServers.dispatcher("t", config.concurrency()))) {
            server.open();
            assertThat(server.handleRequest()).isFalse();
            assertThat(timeouts).hasValue(1);
            InetSocketAddress address = (InetSocketAddress) server.boundAddress();
            try (Socket client = connect(address)) {
                client.getOutputStream().write("abc".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertThat(server.handleRequest()).isTrue();
                assertThat(client.getInputStream().readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(timeouts).hasValue(1);
        }
    }

    /** 0.0004 s is 0 whole milliseconds, which a selector would take for "wait forever". */
    @ParameterizedTest
    @ValueSource(strings = {"0.05", "0.0004"})
    void serviceActionsRunWhileIdle(String pollInterval) throws Exception {
        CountDownLatch ticks = new CountDownLatch(3);
        ServerHooks hooks = new ServerHooks() {
            @Override
            public void serviceActions(ServerContext server) {
                ticks.countDown();
            }
        };
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"pollInterval\": " + pollInterval + "}"), Echo::new, hooks)) {
            assertThat(ticks.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closeTwiceAndCloseWhileServingAreHarmless() throws Exception {
        TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), Echo::new);
        s.close();
        s.server.close();
        assertThat(s.server.isOpen()).isFalse();
        assertThatThrownBy(s.server::serveForever).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWaitsForARunningRequestWhenBlockOnClose() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\", \"blockOnClose\": true}}"), () -> request -> {
                    inHandler.countDown();
                    release.await();
                    finished.incrementAndGet();
                });
        try (Socket client = connect(s.inet())) {
            assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> s.server.close(Duration.ofSeconds(10)));
            s.loop.join(5_000);
            assertThat(closing).isNotDone();
            release.countDown();
            assertThat(closing.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(finished).hasValue(1);
        } finally {
            release.countDown();
            s.close();
        }
    }

    @Test
    void closeCutsOffRequestsThatOutliveTheDeadline() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), () -> request -> {
            inHandler.countDown();
            never.await(); // ignores the drain: only closing the connection ends this request
        });
        try (Socket client = connect(s.inet())) {
            assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(s.server.close(Duration.ofMillis(100))).isFalse());
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        } finally {
            never.countDown();
            s.close();
        }
    }

    @Test
    void closeDrainsIdleConnectionsSoTheyEndAtOnce() throws Exception {
        for (String mode : List.of("sync", "threading")) {
            CountDownLatch reading = new CountDownLatch(1);
            TestServers.Running s = TestServers.stream(TestServers.config(
                    "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"" + mode + "\"}}"), () -> request -> {
                        request.output().write("ready\n".getBytes(StandardCharsets.UTF_8));
                        request.output().flush();
                        reading.countDown();
                        while (request.input().read() >= 0) {
                            request.output().write('.');
                        }
                        request.output().write("bye\n".getBytes(StandardCharsets.UTF_8)); // a handler may still answer
                    });
            try (Socket idle = connect(s.inet())) {
                assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
                long start = System.nanoTime();
                assertThat(s.server.close(Duration.ofSeconds(20))).as(mode + ": ended on its own").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(mode).isLessThan(Duration.ofSeconds(5));
                assertThat(new String(idle.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ready\nbye\n");
            } finally {
                s.close();
            }
        }
    }

    @Test
    void aRequestSentJustBeforeTheStopIsStillAnswered() throws Exception {
        for (String mode : List.of("sync", "threading")) {
            CountDownLatch accepted = new CountDownLatch(1);
            CountDownLatch stopping = new CountDownLatch(1);
            TestServers.Running s = TestServers.stream(TestServers.config(
                    "{\"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"" + mode + "\"}}"), () -> request -> {
                        accepted.countDown();
                        stopping.await(); // the client's request waits in the kernel while the stop begins
                        int b;
                        while ((b = request.input().read()) >= 0) {
                            request.output().write(Character.toUpperCase(b));
                        }
                    });
            try (Socket client = connect(s.inet())) {
                client.getOutputStream().write("sent before the stop".getBytes(StandardCharsets.UTF_8));
                assertThat(accepted.await(10, TimeUnit.SECONDS)).isTrue();
                s.server.beginStop(); // drains the connection before its handler has read anything
                stopping.countDown();
                assertThat(s.server.close(Duration.ofSeconds(20))).as(mode + ": ended on its own").isTrue();
                assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .as(mode + ": what the client sent before the stop is read and answered, then the input ends")
                        .isEqualTo("SENT BEFORE THE STOP");
            } finally {
                stopping.countDown();
                s.close();
            }
        }
    }

    @Test
    void servesIpv6() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"[::1]:0\"}"), Echo::new);
             Socket client = connect(s.inet())) {
            assertThat(s.inet().getAddress()).isInstanceOf(java.net.Inet6Address.class);
            assertThat(exchange(client, "six")).isEqualTo("six");
        }
    }

    static boolean ipv6Loopback() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void readTimeoutEndsAnIdleConnection() throws Exception {
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"readTimeout\": 0.1}"), Echo::new);
             Socket client = connect(s.inet())) {
            assertThat(client.getInputStream().read()).as("closed by the server after the read timeout").isEqualTo(-1);
        }
    }

    /**
     * Writes without end once the client sends 'f', or sends nothing for half a second (then the read has
     * waited under a timeout, so the writes come from a non-blocking channel); echoes anything else. Reports
     * how its writing ended.
     */
    static final class Flood implements StreamHandler {
        static final java.util.concurrent.BlockingQueue<Throwable> ENDINGS = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void handle(StreamRequest request) throws Exception {
            request.setReadTimeout(Duration.ofMillis(500));
            int first;
            try {
                first = request.input().read();
            } catch (SocketTimeoutException e) {
                first = 'f';
            }
            if (first != 'f') {
                request.output().write(first);
                new Echo().handle(request);
                return;
            }
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

    @ParameterizedTest
    @ValueSource(strings = {"f", ""})
    void writeTimeoutClosesAConnectionWhoseClientStopsReading(String firstBytes) throws Exception {
        Flood.ENDINGS.clear();
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"writeTimeout\": 0.3}"), Flood::new);
             Socket stalled = connect(s.inet())) {
            stalled.getOutputStream().write(firstBytes.getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            Throwable ending = Flood.ENDINGS.poll(20, TimeUnit.SECONDS);
            assertThat(ending).as("the blocked write ended, as for a client that went away")
                    .isInstanceOf(IOException.class);
            assertThat(Disconnects.isClientDisconnect(ending)).isTrue();
            try (Socket next = connect(s.inet())) {
                next.setSoTimeout(10_000);
                assertThat(exchange(next, "still serving")).isEqualTo("still serving");
            }
        }
    }

    @Test
    void withoutAWriteTimeoutASlowReaderIsLeftAlone() throws Exception {
        Flood.ENDINGS.clear();
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), Flood::new);
             Socket stalled = connect(s.inet())) {
            stalled.getOutputStream().write('f');
            stalled.getOutputStream().flush();
            // a negative check, bounded: the write stays blocked well past the timeout the other test uses
            assertThat(Flood.ENDINGS.poll(1, TimeUnit.SECONDS)).isNull();
            stalled.setSoTimeout(10_000);
            assertThat(stalled.getInputStream().readNBytes(1 << 20)).as("and the reply keeps coming once read").hasSize(1 << 20);
        }
    }

    @Test
    void bindingAnAddressInUseNamesTheServerAndAddress() throws Exception {
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), Echo::new)) {
            var clash = TestServers.config("{\"name\": \"second\", \"address\": \"127.0.0.1:" + s.inet().getPort()
                    + "\", \"allowReuseAddress\": false}");
            try (StreamServer second = new StreamServer(clash, Echo::new, TestServers.NO_HOOKS,
                    TestServers.dispatcher("second", clash.concurrency()))) {
                assertThatThrownBy(second::open).isInstanceOf(IOException.class)
                        .hasMessageContaining("second").hasMessageContaining("127.0.0.1:" + s.inet().getPort());
            }
        }
    }

    @Test
    void failingHooksNeverStopTheServer() throws Exception {
        AtomicInteger verifyCalls = new AtomicInteger();
        ServerHooks broken = new ServerHooks() {
            @Override
            public boolean verifyRequest(ServerContext server, SocketAddress client) {
                if (verifyCalls.incrementAndGet() == 1) {
                    throw new IllegalStateException("verify broke");
                }
                return true;
            }

            @Override
            public void handleError(ServerContext server, SocketAddress client, Throwable error) {
                throw new IllegalStateException("handleError broke");
            }

            @Override
            public void serviceActions(ServerContext server) {
                throw new IllegalStateException("serviceActions broke");
            }
        };
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"pollInterval\": 0.01, \"concurrency\": {\"mode\": \"sync\"}}"), () -> request -> {
                    int b = request.input().read();
                    if (b == 'x') {
                        throw new IllegalArgumentException("handler broke");
                    }
                    request.output().write(b);
                }, broken)) {
            try (Socket refused = connect(s.inet())) {
                assertThat(refused.getInputStream().read()).as("a failing verify hook refuses").isEqualTo(-1);
            }
            try (Socket failing = connect(s.inet())) {
                failing.getOutputStream().write('x');
                assertThat(failing.getInputStream().read()).isEqualTo(-1);
            }
            try (Socket served = connect(s.inet())) {
                served.getOutputStream().write('y');
                assertThat(served.getInputStream().read()).isEqualTo('y');
            }
        }
    }

    @Test
    void reusePortLetsTwoServersShareAPort() throws Exception {
        var first = TestServers.config("{\"address\": \"127.0.0.1:0\", \"reusePort\": true}");
        try (TestServers.Running a = TestServers.stream(first, Echo::new)) {
            var second = TestServers.config("{\"name\": \"second\", \"address\": \"127.0.0.1:" + a.inet().getPort()
                    + "\", \"reusePort\": true}");
            try (TestServers.Running b = TestServers.stream(second, Echo::new); Socket client = connect(b.inet())) {
                assertThat(b.inet().getPort()).isEqualTo(a.inet().getPort());
                assertThat(exchange(client, "shared")).isEqualTo("shared");
            }
        }
    }

    @Test
    void theListenBacklogIsRequestQueueSize() throws Exception {
        // a sync server busy with one client leaves the others in the backlog: they connect, and are served in turn
        CountDownLatch release = new CountDownLatch(1);
        try (TestServers.Running s = TestServers.stream(TestServers.config(
                "{\"address\": \"127.0.0.1:0\", \"requestQueueSize\": 8, \"concurrency\": {\"mode\": \"sync\"}}"), () -> request -> {
                    release.await();
                    request.output().write('k');
                })) {
            List<Socket> waiting = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    waiting.add(connect(s.inet()));
                }
                release.countDown();
                for (Socket socket : waiting) {
                    assertThat(socket.getInputStream().read()).isEqualTo('k');
                }
            } finally {
                release.countDown();
                for (Socket socket : waiting) {
                    socket.close();
                }
            }
        }
    }
}
