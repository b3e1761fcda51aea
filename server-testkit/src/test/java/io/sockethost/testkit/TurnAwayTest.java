package io.sockethost.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.StreamHandler;

/**
 * A full {@code threading} server turns a new connection away at once, with the plugin's busy reply, instead
 * of leaving it in the listen backlog; one address cannot hold more than its share of the workers.
 */
@Timeout(30)
class TurnAwayTest {
    private static final byte[] BUSY = "busy\n".getBytes(StandardCharsets.US_ASCII);
    private final List<Socket> idle = new ArrayList<>();

    /** Holds its connection until the client closes it: an idle client. */
    private static StreamHandler holder() {
        return request -> {
            while (request.input().read() >= 0) {
                // nothing to answer
            }
        };
    }

    private static final class BusyLifecycle implements ServerLifecycle<Void> {
        @Override
        public Void start(ServerContext server) {
            return null;
        }

        @Override
        public byte[] busyReply(ServerContext server) {
            return BUSY;
        }
    }

    @AfterEach
    void closeIdle() throws IOException {
        for (Socket s : idle) {
            s.close();
        }
    }

    /** Opens a connection from {@code local} and proves the server took it by its first read blocking. */
    private Socket hold(InetSocketAddress server, String local) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(server, 5_000);
        idle.add(s);
        return s;
    }

    /** @return what the server sent before closing, read with a deadline */
    private static byte[] untilClosed(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        return in.readAllBytes();
    }

    /** Polls until the server runs {@code count} requests (each blocked in its first read). */
    private static void awaitRunning(TestServer server, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (server.activeRequests() >= count) {
                return;
            }
            Thread.onSpinWait();
        }
        assertThat(server.activeRequests()).as("requests running").isGreaterThanOrEqualTo(count);
    }

    @Test
    void pastMaxWorkersANewConnectionGetsTheBusyReplyAndIsClosedAtOnce() throws Exception {
        try (TestServer server = TestServer.stream(TurnAwayTest::holder).lifecycle(new BusyLifecycle())
                .declaration("{\"concurrency\": {\"maxWorkers\": 3, \"virtualThreads\": false}, "
                        + "\"verify\": {\"maxConnectionsPerClient\": 0}}").start()) {
            for (int i = 0; i < 3; i++) {
                hold(server.inetAddress(), "127.0.0.1");
            }
            awaitRunning(server, 3);
            long start = System.nanoTime();
            try (Socket fourth = new Socket("127.0.0.1", server.inetAddress().getPort())) {
                assertThat(untilClosed(fourth)).isEqualTo(BUSY);
            }
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until turned away").isLessThan(2_000);
        }
    }

    @Test
    void oneAddressHoldsAtMostHalfTheWorkersByDefaultAndOthersAreServed() throws Exception {
        StreamHandler echoOrHold = request -> {
            int b;
            while ((b = request.input().read()) >= 0) {
                request.output().write(b);
                request.output().flush();
            }
        };
        try (TestServer server = TestServer.stream(() -> echoOrHold).lifecycle(new BusyLifecycle())
                .declaration("{\"concurrency\": {\"maxWorkers\": 8, \"virtualThreads\": false}}").start()) {
            for (int i = 0; i < 4; i++) {
                hold(server.inetAddress(), "127.0.0.1");
            }
            awaitRunning(server, 4);
            try (Socket fifth = new Socket()) {
                fifth.bind(new InetSocketAddress("127.0.0.1", 0));
                fifth.connect(server.inetAddress(), 5_000);
                assertThat(untilClosed(fifth)).as("a fifth connection from the same address").isEqualTo(BUSY);
            }
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(server.inetAddress(), 5_000);
                other.setSoTimeout(5_000);
                other.getOutputStream().write('x');
                assertThat(other.getInputStream().read()).as("another address is served").isEqualTo('x');
            }
        }
    }
}
