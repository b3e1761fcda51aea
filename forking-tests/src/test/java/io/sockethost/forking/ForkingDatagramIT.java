package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.config.Addresses;
import io.sockethost.testkit.DatagramClient;
import io.sockethost.testkit.PluginHost;

/**
 * A forking datagram server serves each datagram in a worker process, with Python's datagram semantics
 * (the reply leaves after {@code finish}, also when {@code handle} threw, unless discarded), and sends the
 * reply from the server's own socket. Workers are supervised as for streams: a crash or a
 * {@code requestTimeout} costs only that datagram's reply, {@code maxChildren} holds, and
 * {@code requestsPerChild} recycles.
 */
@Timeout(90)
class ForkingDatagramIT {
    static final String UDP = "misbehaving-udp";
    static final String UNIX = "misbehaving-unix-datagram";

    private HostLog log;
    private PluginHost host;
    @TempDir
    Path dir;

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

    /** A host serving only the datagram server {@code name}, with these concurrency fields. */
    static PluginHost datagramHost(String name, String concurrency) throws Exception {
        return MisbehavingPlugin.host("{\"servers\": {\"" + MisbehavingPlugin.TCP + "\": {\"enabled\": false}, \""
                + name + "\": {\"enabled\": true, \"concurrency\": {" + concurrency + "}}}}");
    }

    /** A client whose receives wait long enough for a worker JVM to start on a busy machine. */
    static DatagramClient client(java.net.SocketAddress server) throws java.io.IOException {
        return DatagramClient.to(server).timeout(Duration.ofSeconds(30));
    }

    /**
     * @return the client's address as the server sees it: a UDP client's socket is bound to the wildcard
     *     address, and its datagrams to a loopback server come from loopback
     */
    static java.net.SocketAddress seenAs(DatagramClient client) throws java.io.IOException {
        if (client.localAddress() instanceof InetSocketAddress inet && inet.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress("127.0.0.1", inet.getPort()); // the servers here listen on 127.0.0.1
        }
        return client.localAddress();
    }

    /** Sends one datagram and returns the one reply. */
    static String ask(DatagramClient client, String text) throws java.io.IOException {
        return client.send(text).receiveText();
    }

    @Test
    void aWorkerServesTheDatagramAndTheReplyComesFromTheServersSocket() throws Exception {
        host = datagramHost(UDP, "");
        InetSocketAddress server = host.inetAddress(UDP);
        try (DatagramClient client = client(server)) {
            String[] who = ask(client, "whoami").split("\t");
            long pid = Long.parseLong(who[0]);
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(who[1]).as("the client as the handler sees it").isEqualTo(seenAs(client).toString());
            assertThat(who[2]).isEqualTo(UDP);
            assertThat(who[3]).isEqualTo("udp");
            assertThat(who[4]).isEqualTo(server.toString());
            assertThat(client.lastSender()).as("the reply's source").isEqualTo(server);
        }
    }

    @Test
    void theReplyLeavesAfterHandleThrewAndHandleErrorRunsInTheWorker() throws Exception {
        host = datagramHost(UDP, "\"requestsPerChild\": 0, \"maxChildren\": 1");
        Path file = dir.resolve("errors.txt");
        try (DatagramClient client = client(host.address(UDP))) {
            assertThat(ask(client, "fail")).isEqualTo("written before failing");
            String address = seenAs(client).toString();
            log.await("the handler's failure, logged from the worker", line -> line.contains("worker pid ")
                    && line.contains("handle failed for client " + address), Duration.ofSeconds(20));
            // CPython's BadHandler: the handler notes its call, raises, and handle_error notes its own
            assertThat(ask(client, "raise exception " + file)).as("what the handler wrote: nothing").isEmpty();
        }
        assertThat(Files.readString(file)).isEqualTo("Handler called\nError handled\n");
    }

    @Test
    void aDiscardedReplyIsNotSent() throws Exception {
        host = datagramHost(UDP, "\"requestsPerChild\": 0, \"maxChildren\": 1");
        try (DatagramClient client = client(host.address(UDP))) {
            client.send("discard");
            client.send("pid");
            // Both go to the one worker in turn: a reply to the first would arrive first.
            assertThat(client.receiveText()).matches("\\d+");
        }
    }

    @Test
    void aWorkerThatDiesOnADatagramCostsOnlyItsReply() throws Exception {
        host = datagramHost(UDP, "\"requestsPerChild\": 0, \"maxChildren\": 1");
        try (DatagramClient client = client(host.address(UDP))) {
            long first = Long.parseLong(ask(client, "pid"));
            String address = Addresses.format(seenAs(client));
            client.send("halt 7");
            log.await("the crash, with the datagram's client", line -> line.contains("worker pid " + first
                    + " exited with status 7 while serving client " + address)
                    && line.contains("its datagram gets no reply"), Duration.ofSeconds(20));
            log.await("the failed request, as handle_error would report it", line -> line.contains(
                    "handle failed for client " + address + ": worker pid " + first + " ended before it answered"),
                    Duration.ofSeconds(20));
            long next = Long.parseLong(ask(client, "pid")); // a reply to "halt" would have come first
            assertThat(next).isNotEqualTo(first);
            assertThat(Workers.isAlive(first)).isFalse();
        }
    }

    @Test
    void aDatagramPastRequestTimeoutHasItsWorkerKilledAndGetsNoReply() throws Exception {
        host = datagramHost(UDP, "\"requestsPerChild\": 0, \"maxChildren\": 1, \"requestTimeout\": 1");
        try (DatagramClient client = client(host.address(UDP))) {
            long first = Long.parseLong(ask(client, "pid"));
            client.send("spin");
            log.await("the kill", line -> line.contains("worker pid " + first
                    + " was killed: its request ran longer than requestTimeout (1 s)"), Duration.ofSeconds(20));
            assertThat(Long.parseLong(ask(client, "pid"))).isNotEqualTo(first);
        }
    }

    @Test
    void requestsPerChildOneServesEachDatagramFromAFreshProcess() throws Exception {
        host = datagramHost(UDP, "\"requestsPerChild\": 1");
        List<Long> pids = new ArrayList<>();
        try (DatagramClient client = client(host.address(UDP))) {
            for (int i = 0; i < 3; i++) {
                pids.add(Long.parseLong(ask(client, "pid")));
            }
        }
        assertThat(pids).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
        Workers.awaitExit(pids, Duration.ofSeconds(20));
    }

    @Test
    void reuseModeServesConsecutiveDatagramsFromOneProcessOnUnixDatagram() throws Exception {
        host = datagramHost(UNIX, "\"requestsPerChild\": 0, \"maxChildren\": 1, \"warmWorkers\": 1");
        try (DatagramClient client = client(host.address(UNIX))) {
            String[] who = ask(client, "whoami").split("\t");
            assertThat(who[1]).isEqualTo(seenAs(client).toString());
            assertThat(who[3]).isEqualTo("unix-datagram");
            for (int i = 0; i < 4; i++) {
                assertThat(ask(client, "pid")).isEqualTo(who[0]);
            }
        }
    }

    @Test
    void busyWorkersLeaveDatagramsWaitingAndMaxChildrenHolds() throws Exception {
        host = datagramHost(UDP, "\"requestsPerChild\": 1, \"maxChildren\": 2, \"warmWorkers\": 2");
        int clients = 4;
        AtomicInteger mostAlive = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Thread sampler = new Thread(() -> {
            try {
                do {
                    mostAlive.accumulateAndGet(Workers.ofThisJvm().size(), Math::max);
                } while (!done.await(5, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sampler.start();
        List<DatagramClient> open = new ArrayList<>();
        Set<String> pids = new HashSet<>();
        try {
            for (int i = 0; i < clients; i++) {
                DatagramClient client = client(host.address(UDP));
                open.add(client);
                client.send("sleep 500");
            }
            for (DatagramClient client : open) {
                String[] reply = client.receiveText().split("\t");
                assertThat(reply[0]).isEqualTo("slept");
                pids.add(reply[1]);
            }
        } finally {
            done.countDown();
            sampler.join();
            for (DatagramClient client : open) {
                client.close();
            }
        }
        assertThat(pids).as("each datagram in a process of its own, none dropped").hasSize(clients);
        assertThat(mostAlive.get()).as("worker processes alive at once").isBetween(1, 2);
    }
}
