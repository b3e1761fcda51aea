package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.sockethost.core.config.ConfigException;
import io.sockethost.testkit.PluginHost;

/**
 * A forking server serves each connection in a worker process that runs the plugin's handler unchanged,
 * recycles workers after {@code requestsPerChild}, and hands worker output to the host's log. Connections
 * reach the workers handed over or relayed, depending on the JVM: the build runs this class both ways.
 */
@Timeout(60)
class ForkingServerIT {
    private HostLog log;
    private PluginHost host;

    @BeforeEach
    void captureLog() {
        log = HostLog.capture();
    }

    @AfterEach
    void stopHost() {
        try {
            MisbehavingPlugin.stop(host);
        } finally {
            log.close();
        }
    }

    @Test
    void handlerRunsInAWorkerProcessAndSeesTheRealClient() throws Exception {
        host = MisbehavingPlugin.host();
        InetSocketAddress server = host.inetAddress(MisbehavingPlugin.TCP);
        try (LineClient client = LineClient.connect(server)) {
            String[] who = client.ask("whoami").split("\t");
            long pid = Long.parseLong(who[0]);
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(Workers.ofThisJvm()).contains(pid);
            assertThat(who[1]).isEqualTo(client.channel().getLocalAddress().toString());
            assertThat(who[2]).isEqualTo(MisbehavingPlugin.TCP);
            assertThat(who[3]).isEqualTo("tcp");
            assertThat(who[4]).isEqualTo(server.toString());
        }
    }

    @Test
    void requestsPerChildOneServesEachConnectionFromAFreshProcess() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency("\"requestsPerChild\": 1"));
        List<Long> pids = pidsOfConsecutiveConnections(3);
        assertThat(pids).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
        // Each exits once its one request is done: the pool never keeps a used worker.
        Workers.awaitExit(pids, Duration.ofSeconds(20));
    }

    @Test
    void reuseModeServesConsecutiveConnectionsFromOneProcess() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"requestsPerChild\": 0, \"maxChildren\": 1, \"warmWorkers\": 1"));
        List<Long> pids = pidsOfConsecutiveConnections(4);
        assertThat(pids).containsOnly(pids.get(0));
    }

    @Test
    void aWorkerIsReplacedAfterRequestsPerChildConnections() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"requestsPerChild\": 2, \"maxChildren\": 1, \"warmWorkers\": 1"));
        List<Long> pids = pidsOfConsecutiveConnections(4);
        assertThat(pids.get(1)).isEqualTo(pids.get(0));
        assertThat(pids.get(3)).isEqualTo(pids.get(2));
        assertThat(pids.get(2)).isNotEqualTo(pids.get(0));
    }

    @Test
    void consecutiveShortConnectionsInReuseModeDoNotGrowThePool() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"requestsPerChild\": 0, \"maxChildren\": 4, \"warmWorkers\": 1"));
        // The previous connection's worker is about to be free whenever the next one arrives: the pool must
        // not count it as busy and start workers for a demand of one connection at a time.
        List<Long> pids = pidsOfConsecutiveConnections(30);
        assertThat(new java.util.HashSet<>(pids)).hasSizeLessThanOrEqualTo(2);
        assertThat(Workers.ofThisJvm()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aPoolGrownByABurstShrinksBackToItsWarmWorkers() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"requestsPerChild\": 0, \"maxChildren\": 3, \"warmWorkers\": 1"));
        InetSocketAddress server = host.inetAddress(MisbehavingPlugin.TCP);
        List<Long> burst = new ArrayList<>();
        try (LineClient a = LineClient.connect(server); LineClient b = LineClient.connect(server);
             LineClient c = LineClient.connect(server)) {
            for (LineClient client : List.of(a, b, c)) {
                burst.add(client.pid());
            }
        }
        assertThat(burst).doesNotHaveDuplicates();
        // Surplus idle workers are let go one at a time, every few seconds: two of the three must go.
        java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(2);
        burst.forEach(pid -> ProcessHandle.of(pid).ifPresentOrElse(p -> p.onExit().thenRun(gone::countDown),
                gone::countDown));
        assertThat(gone.await(40, java.util.concurrent.TimeUnit.SECONDS)).as("two surplus workers let go").isTrue();
        assertThat(Workers.ofThisJvm()).hasSize(1).isSubsetOf(burst);
    }

    /** Connects, asks for the pid and closes, {@code count} times in a row. */
    private List<Long> pidsOfConsecutiveConnections(int count) throws java.io.IOException {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
                pids.add(client.pid());
            }
        }
        return pids;
    }

    @Test
    void bytesPassUnchangedBothWaysAndTheClientsEndOfInputReachesTheHandler() throws Exception {
        host = MisbehavingPlugin.host();
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            client.send("cat");
            // Send from another thread so that neither side's buffers can stall the test.
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    ByteBuffer bytes = ByteBuffer.wrap(data);
                    while (bytes.hasRemaining()) {
                        client.channel().write(bytes);
                    }
                    client.channel().shutdownOutput(); // the handler's transferTo ends only on this
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Channels.newInputStream(client.channel()).transferTo(received);
            sender.join();
            assertThat(received.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void unixStreamServersAreServedByWorkersToo() throws Exception {
        host = MisbehavingPlugin.host("{\"servers\": {\"" + MisbehavingPlugin.TCP + "\": {\"enabled\": false}, \""
                + MisbehavingPlugin.UNIX + "\": {\"enabled\": true}}}");
        try (LineClient client = LineClient.connect(host.address(MisbehavingPlugin.UNIX))) {
            String[] who = client.ask("whoami").split("\t");
            assertThat(Workers.ofThisJvm()).contains(Long.parseLong(who[0]));
            assertThat(who[2]).isEqualTo(MisbehavingPlugin.UNIX);
            assertThat(who[3]).isEqualTo("unix-stream");
            assertThat(client.ask("pid")).isEqualTo(who[0]);
        }
    }

    @Test
    void aHandlerErrorIsLoggedByTheHostWithTheWorkersPidAndTheWorkerGoesOn() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"requestsPerChild\": 0, \"maxChildren\": 1, \"warmWorkers\": 1"));
        long pid;
        String clientAddress;
        try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            pid = client.pid();
            clientAddress = client.channel().getLocalAddress().toString();
            assertThat(client.ask("fail")).as("the connection ends").isNull();
        }
        String failed = log.await("with the worker's pid and the failed client",
                line -> line.contains("server misbehaving worker pid " + pid + ":")
                        && line.contains("handle failed for client " + clientAddress), Duration.ofSeconds(20));
        assertThat(failed).as("logged by the host at the worker's level").matches("^\\[[^]]+\\] ERROR .*");
        log.await("with the exception from the worker", line -> line.contains("worker pid " + pid + ":")
                && line.contains("java.lang.IllegalStateException: failing on request"), Duration.ofSeconds(20));
        try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            assertThat(client.pid()).isEqualTo(pid);
        }
    }

    @Test
    void aClassPathInJvmOptionsIsAConfigurationError() {
        assertThatThrownBy(() -> MisbehavingPlugin.host(MisbehavingPlugin.concurrency("\"jvmOptions\": [\"-Xmx64m\", \"-cp\"]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("concurrency.jvmOptions[1]")
                .hasMessageContaining("\"-cp\" is not allowed");
    }

    /**
     * A JVM started with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (as {@code bin/sockethost}
     * starts the host) hands the client's socket itself to the worker; any other JVM relays its bytes. The
     * build runs this class both ways (see the failsafe executions in the pom).
     */
    private static boolean handsOver() {
        return Object.class.getModule().isExported("sun.nio.ch", ForkingServerIT.class.getModule());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // reads the kernel's socket tables in /proc
    void theWorkerHoldsTheClientsOwnSocketExactlyWhenTheJvmAllowsHandingItOver() throws Exception {
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency("\"requestsPerChild\": 0"));
        InetSocketAddress server = host.inetAddress(MisbehavingPlugin.TCP);
        try (LineClient client = LineClient.connect(server)) {
            long pid = client.pid();
            int clientPort = ((InetSocketAddress) client.channel().getLocalAddress()).getPort();
            long inode = serverSideSocketInode(server.getPort(), clientPort)
                    .orElseThrow(() -> new AssertionError("no socket for the connection in /proc/net/tcp"));
            assertThat(socketInodesOf(ProcessHandle.current().pid())).as("the host keeps its copy").contains(inode);
            if (handsOver()) {
                assertThat(socketInodesOf(pid)).as("the worker holds the client's socket").contains(inode);
            } else {
                assertThat(socketInodesOf(pid)).as("the worker gets the bytes by relay").doesNotContain(inode);
            }
            assertThat(client.ask("pid")).as("still served after the checks").isEqualTo(Long.toString(pid));
        }
    }

    @Test
    void aStopDrainsTheConnectionInTheWorkerSoItsHandlerFinishesGracefully() throws Exception {
        host = MisbehavingPlugin.host("{\"host\": {\"shutdownTimeout\": 30}}");
        try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            long pid = client.pid(); // the handler now waits for the next line
            // The drain shuts the socket's input down for both processes: the worker's handler reads the end
            // of its input and returns, so the stop need not wait out shutdownTimeout and close it by force.
            host.close();
            assertThat(client.readLine()).as("the connection ended").isNull();
            assertThat(Workers.isAlive(pid)).isFalse();
        }
        assertThat(log.lines()).noneMatch(line -> line.contains("still running"));
    }

    /** The inode of the server's end of the loopback connection from {@code clientPort}, in /proc/net/tcp{,6}. */
    private static Optional<Long> serverSideSocketInode(int serverPort, int clientPort) throws IOException {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String row : rows.subList(1, rows.size())) { // after the header
                String[] f = row.trim().split("\\s+");
                if (port(f[1]) == serverPort && port(f[2]) == clientPort) {
                    return Optional.of(Long.parseLong(f[9]));
                }
            }
        }
        return Optional.empty();
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    /** The inodes of the sockets process {@code pid} has open, from its /proc/pid/fd links. */
    private static List<Long> socketInodesOf(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed meanwhile
                }
            }).filter(link -> link.startsWith("socket:[")).map(link -> Long.parseLong(link.substring(8, link.length() - 1)))
                    .toList();
        }
    }
}
