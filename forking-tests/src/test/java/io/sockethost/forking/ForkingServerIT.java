package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.core.config.ConfigException;
import io.sockethost.testkit.PluginHost;

/**
 * A forking server serves each connection in a worker process that runs the plugin's handler unchanged,
 * recycles workers after {@code requestsPerChild}, and hands worker output to the host's log.
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
        log.await("with the worker's pid and the failed client",
                line -> line.contains("server misbehaving worker pid " + pid + ":")
                        && line.contains("handle failed for client " + clientAddress), Duration.ofSeconds(20));
        log.await("with the exception from the worker", line -> line.contains("worker pid " + pid + ":")
                && line.contains("java.lang.IllegalStateException: failing on request"), Duration.ofSeconds(20));
        try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            assertThat(client.pid()).isEqualTo(pid);
        }
    }

    @Test
    void forkingOnADatagramTransportIsAConfigurationError() {
        assertThatThrownBy(() -> MisbehavingPlugin.host("{\"servers\": {\"" + MisbehavingPlugin.TCP
                + "\": {\"transport\": \"udp\"}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("concurrency.mode: forking serves stream transports (tcp, unix-stream) only")
                .hasMessageContaining("use threading or sync for udp");
        assertThat(Workers.ofThisJvm()).isEmpty();
    }

    @Test
    void aClassPathInJvmOptionsIsAConfigurationError() {
        assertThatThrownBy(() -> MisbehavingPlugin.host(MisbehavingPlugin.concurrency("\"jvmOptions\": [\"-Xmx64m\", \"-cp\"]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("concurrency.jvmOptions[1]")
                .hasMessageContaining("\"-cp\" is not allowed");
    }
}
