package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.DatagramRequest;

/** UDP (IPv4 and IPv6) and Unix datagram servers on real sockets. */
@Timeout(30)
class DatagramServerTest {
    @TempDir
    Path dir;

    static final class Echo implements DatagramHandler {
        @Override
        public void handle(DatagramRequest request) throws Exception {
            ByteBuffer payload = request.payload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            if (new String(bytes, StandardCharsets.UTF_8).equals("boom")) {
                throw new IllegalStateException("boom");
            }
            if (new String(bytes, StandardCharsets.UTF_8).equals("quiet")) {
                request.discardReply();
            }
            request.output().write(bytes);
        }
    }

    static String roundTrip(DatagramSocket socket, SocketAddress server, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        DatagramPacket reply = new DatagramPacket(new byte[9000], 9000);
        socket.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    void echoes(String json, String clientHost) throws Exception {
        try (TestServers.Running s = TestServers.datagram(TestServers.config(json), Echo::new, TestServers.NO_HOOKS, DatagramServer.UDP);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(clientHost, 0))) {
            client.setSoTimeout(5_000);
            assertThat(roundTrip(client, s.server.boundAddress(), "one")).isEqualTo("one");
            assertThat(roundTrip(client, s.server.boundAddress(), "")).as("an empty reply is still sent").isEmpty();
            assertThat(roundTrip(client, s.server.boundAddress(), "two")).isEqualTo("two");
        }
    }

    @Test
    void udp4Sync() throws Exception {
        echoes("{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"sync\"}}", "127.0.0.1");
    }

    @Test
    void udp4Threading() throws Exception {
        echoes("{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\"}}", "127.0.0.1");
    }

    @Test
    void udp6() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(StreamServerTest.ipv6Loopback(), "no IPv6 loopback on this machine");
        echoes("{\"transport\": \"udp\", \"address\": \"[::1]:0\"}", "::1");
    }

    @Test
    void aFailingHandlerRepliesWithWhatItWroteAndTheServerGoesOn() throws Exception {
        try (TestServers.Running s = TestServers.datagram(TestServers.config("{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\"}"),
                Echo::new, TestServers.NO_HOOKS, DatagramServer.UDP);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5_000);
            assertThat(roundTrip(client, s.server.boundAddress(), "boom")).as("Python's finish sends wfile: empty here").isEmpty();
            client.setSoTimeout(300);
            assertThatThrownBy(() -> roundTrip(client, s.server.boundAddress(), "quiet")).isInstanceOf(SocketTimeoutException.class);
            client.setSoTimeout(5_000);
            assertThat(roundTrip(client, s.server.boundAddress(), "after")).isEqualTo("after");
        }
    }

    /**
     * A forking worker's request: the same handler code as a served datagram, with the reply returned for the
     * host to send: what was written also when handle threw (and handleError ran), nothing when discarded.
     */
    @Test
    void aReceivedDatagramIsServedUnboundAndItsReplyReturned() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        io.sockethost.api.ServerHooks hooks = new io.sockethost.api.ServerHooks() {
            @Override
            public void handleError(io.sockethost.api.ServerContext server, SocketAddress client, Throwable error) {
                handled.add(error);
            }
        };
        DatagramServer server = new DatagramServer(TestServers.config("{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\"}"),
                () -> request -> {
                    String text = StandardCharsets.UTF_8.decode(request.payload()).toString();
                    request.output().write(("re: " + text).getBytes(StandardCharsets.UTF_8));
                    switch (text) {
                        case "boom" -> throw new IllegalStateException("boom");
                        case "quiet" -> request.discardReply();
                        default -> { }
                    }
                }, hooks, new io.sockethost.core.concurrency.InlineDispatcher(), DatagramServer.UDP);
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
        server.startUnbound(new InetSocketAddress("127.0.0.1", 9));
        try {
            assertThat(server.serveReceived(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), client))
                    .isEqualTo(ByteBuffer.wrap("re: hi".getBytes(StandardCharsets.UTF_8)));
            assertThat(server.serveReceived(ByteBuffer.wrap("boom".getBytes(StandardCharsets.UTF_8)), client))
                    .as("sent after finish although handle threw").isEqualTo(ByteBuffer.wrap("re: boom".getBytes(StandardCharsets.UTF_8)));
            assertThat(handled).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
            assertThat(server.serveReceived(ByteBuffer.wrap("quiet".getBytes(StandardCharsets.UTF_8)), client)).isNull();
        } finally {
            server.close();
        }
    }

    @Test
    void datagramsLongerThanMaxPacketSizeAreTruncated() throws Exception {
        try (TestServers.Running s = TestServers.datagram(TestServers.config(
                "{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\", \"maxPacketSize\": 10}"), Echo::new, TestServers.NO_HOOKS, DatagramServer.UDP);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5_000);
            assertThat(roundTrip(client, s.server.boundAddress(), "0123456789abcdef")).isEqualTo("0123456789");
        }
    }

    @Test
    void unixDatagramRepliesToTheClientsBoundAddressAndRemovesItsFile() throws Exception {
        Path socketFile = dir.resolve("dgram.sock");
        List<SocketAddress> seen = new CopyOnWriteArrayList<>();
        TestServers.Running s = TestServers.datagram(TestServers.config(
                "{\"transport\": \"unix-datagram\", \"address\": \"" + socketFile + "\"}"), () -> request -> {
                    seen.add(request.clientAddress());
                    request.output().write(request.payload().remaining());
                }, TestServers.NO_HOOKS, DatagramServer.UNIX);
        Path clientFile = dir.resolve("client.sock");
        try (AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(clientFile));
            client.socket().setSoTimeout(5_000);
            client.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(socketFile));
            ByteBuffer reply = ByteBuffer.allocate(10);
            client.receive(reply);
            reply.flip();
            assertThat(reply.remaining()).isEqualTo(1);
            assertThat(reply.get()).isEqualTo((byte) 5);
        } finally {
            s.close();
        }
        assertThat(seen).containsExactly(UnixDomainSocketAddress.of(clientFile));
        assertThat(s.server.boundAddress()).isNotNull();
        assertThat(Files.exists(socketFile)).as("socket file removed on close").isFalse();
    }

    /**
     * The documented exception on unix-datagram (README, "Writing a plugin"): an empty datagram gets no reply
     * where udp sends an empty one, and the server goes on with the next. junixsocket (2.10.1, and 2.11.1 as
     * tried against a Python peer) sends nothing for an empty buffer and reports a received empty datagram as
     * "nothing waiting", its sender lost. A Java client cannot send a real empty Unix datagram, so this pins
     * the sending side: once a junixsocket sends it and the server answers it, the first reply is "got 0",
     * this fails, and the README's exception can go.
     */
    @Test
    void anEmptyUnixDatagramIsLostByJunixsocketAndTheServerGoesOn() throws Exception {
        Path socketFile = dir.resolve("empty.sock");
        TestServers.Running s = TestServers.datagram(TestServers.config(
                "{\"transport\": \"unix-datagram\", \"address\": \"" + socketFile + "\"}"), () -> request -> {
                    request.output().write(("got " + request.payload().remaining()).getBytes(StandardCharsets.UTF_8));
                }, TestServers.NO_HOOKS, DatagramServer.UNIX);
        try (AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(dir.resolve("empty-client.sock")));
            client.socket().setSoTimeout(5_000);
            client.send(ByteBuffer.allocate(0), AFUNIXSocketAddress.of(socketFile));
            client.send(ByteBuffer.wrap("next".getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(socketFile));
            ByteBuffer reply = ByteBuffer.allocate(10);
            assertThat(client.receive(reply)).isNotNull();
            assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8)).isEqualTo("got 4");
        } finally {
            s.close();
        }
    }

    @Test
    void aLiveUnixDatagramServerIsNeverStolenButAStaleFileIsReplaced() throws Exception {
        Path socketFile = dir.resolve("shared.sock");
        try (AFUNIXDatagramChannel dead = AFUNIXDatagramChannel.open()) {
            dead.bind(AFUNIXSocketAddress.of(socketFile)); // left behind on close, as after a crash
        }
        String json = "{\"transport\": \"unix-datagram\", \"address\": \"" + socketFile + "\"}";
        try (TestServers.Running first = TestServers.datagram(TestServers.config(json), Echo::new, TestServers.NO_HOOKS, DatagramServer.UNIX)) {
            var second = TestServers.config(json.replace("{", "{\"name\": \"second\", "));
            try (DatagramServer thief = new DatagramServer(second, Echo::new, TestServers.NO_HOOKS,
                    TestServers.dispatcher("second", second.concurrency()), DatagramServer.UNIX)) {
                assertThatThrownBy(thief::open).isInstanceOf(java.io.IOException.class).hasMessageContaining("in use");
            }
            assertThat(Files.exists(socketFile)).isTrue();
        }
    }

    @Test
    void aSecondUdpServerCannotTakeABoundPort() throws Exception {
        try (TestServers.Running first = TestServers.datagram(TestServers.config(
                "{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\"}"), Echo::new, TestServers.NO_HOOKS, DatagramServer.UDP)) {
            var second = TestServers.config("{\"name\": \"second\", \"transport\": \"udp\", \"address\": \"127.0.0.1:"
                    + first.inet().getPort() + "\"}");
            try (DatagramServer thief = new DatagramServer(second, Echo::new, TestServers.NO_HOOKS,
                    TestServers.dispatcher("second", second.concurrency()), DatagramServer.UDP)) {
                assertThatThrownBy(thief::open).isInstanceOf(java.io.IOException.class).hasMessageContaining("second");
            }
        }
    }

    /** Holds "wait" until a "release" is served, so only a server that runs them concurrently answers both. */
    static final class Gate implements DatagramHandler {
        static final java.util.concurrent.CountDownLatch RELEASED = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void handle(DatagramRequest request) throws Exception {
            String text = StandardCharsets.UTF_8.decode(request.payload()).toString();
            if (text.equals("wait")) {
                text = RELEASED.await(10, java.util.concurrent.TimeUnit.SECONDS) ? "waited" : "never released";
            } else if (text.equals("release")) {
                RELEASED.countDown();
            }
            request.output().write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void threadingServesOthersWhileAWorkerThatWasReceivingBlocksInItsHandler() throws Exception {
        try (TestServers.Running s = TestServers.datagram(TestServers.config(
                "{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\"}}"),
                Gate::new, TestServers.NO_HOOKS, DatagramServer.UDP);
             DatagramSocket waiter = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            waiter.setSoTimeout(5_000);
            other.setSoTimeout(5_000);
            SocketAddress server = s.server.boundAddress();
            // A few round trips leave a worker receiving on its own, so "wait" is most likely taken by it.
            for (int i = 0; i < 20; i++) {
                assertThat(roundTrip(other, server, "warm " + i)).isEqualTo("warm " + i);
            }
            byte[] wait = "wait".getBytes(StandardCharsets.UTF_8);
            waiter.send(new DatagramPacket(wait, wait.length, server));
            assertThat(roundTrip(other, server, "release")).isEqualTo("release");
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            waiter.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("waited");
        }
    }

    @Test
    void closingAThreadingServerReleasesItsPortWhileAWorkerWaitsForDatagrams() throws Exception {
        int port;
        try (TestServers.Running s = TestServers.datagram(TestServers.config(
                "{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\"}}"),
                Echo::new, TestServers.NO_HOOKS, DatagramServer.UDP);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5_000);
            port = s.inet().getPort();
            for (int i = 0; i < 20; i++) {
                assertThat(roundTrip(client, s.server.boundAddress(), "x" + i)).isEqualTo("x" + i);
            }
        }
        try (DatagramSocket rebound = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(rebound.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void handleRequestOfAThreadingServerServesExactlyOneDatagram() throws Exception {
        var config = TestServers.config("{\"transport\": \"udp\", \"address\": \"127.0.0.1:0\", \"concurrency\": {\"mode\": \"threading\"}}");
        try (DatagramServer server = new DatagramServer(config, Echo::new, TestServers.NO_HOOKS,
                TestServers.dispatcher(config.name(), config.concurrency()), DatagramServer.UDP);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            server.open();
            for (String text : List.of("first", "second")) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(bytes, bytes.length, server.boundAddress()));
            }
            assertThat(server.handleRequest()).isTrue();
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            client.setSoTimeout(5_000);
            client.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("first");
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.receive(new DatagramPacket(new byte[64], 64)))
                    .as("the second datagram waits for the next handleRequest()").isInstanceOf(SocketTimeoutException.class);
            assertThat(server.handleRequest()).isTrue();
            client.setSoTimeout(5_000);
            client.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("second");
        }
    }
}
