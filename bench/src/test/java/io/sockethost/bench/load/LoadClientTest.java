package io.sockethost.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

/**
 * The load client against real in-process servers on loopback: it counts what completes, it catches wrong
 * replies, starved connections and HTTP errors, and the open loop never sends more than its schedule.
 * No assertion is about speed.
 */
@Timeout(30)
class LoadClientTest {
    private static final Duration WARMUP = Duration.ofMillis(100);
    private static final Duration WINDOW = Duration.ofMillis(400);

    @Test
    void closedLoopEchoCompletesRequestsWithoutErrors() throws Exception {
        try (TestServers.Stream echo = new TestServers.Stream(b -> b)) {
            LoadResult result = LoadClient.run(LoadSpec.closedLoop(Workload.TCP_ECHO, echo.address(), 4, 2, WARMUP, WINDOW));

            assertThat(result.completed()).isPositive();
            assertThat(result.errors()).isEmpty();
            assertThat(result.latency().p50()).isPositive();
            assertThat(result.latency().p999()).isGreaterThanOrEqualTo(result.latency().p50());
        }
    }

    @Test
    void aReplyThatIsNotTheRequestIsAnError() throws Exception {
        try (TestServers.Stream upper = new TestServers.Stream(Character::toUpperCase)) {
            LoadResult result = LoadClient.run(LoadSpec.closedLoop(Workload.TCP_ECHO, upper.address(), 2, 1, WARMUP, WINDOW));

            assertThat(result.completed()).isZero();
            assertThat(result.errors()).containsKey("exchange: reply differs from the request");
        }
    }

    @Test
    void connectionsLeftWithoutAReplyAreCountedAtTheEnd() throws Exception {
        try (TestServers.Stream silent = new TestServers.Stream(null)) {
            // a window long enough that each connection has connected and sent under any load, then waited
            LoadSpec spec = new LoadSpec(Workload.TCP_ECHO, silent.address(), 3, 1, WARMUP, Duration.ofSeconds(2), 0,
                    Duration.ofMillis(100), "/");

            LoadResult result = LoadClient.run(spec);

            assertThat(result.completed()).isZero();
            assertThat(result.errors()).containsEntry("unanswered for over 100 ms at the end", 3L);
        }
    }

    @Test
    void shortConnectionsOpenOneConnectionPerRequest() throws Exception {
        try (TestServers.Stream echo = new TestServers.Stream(b -> b)) {
            LoadResult result = LoadClient.run(LoadSpec.closedLoop(Workload.SHORT_CONNECTIONS, echo.address(), 4, 2,
                    WARMUP, WINDOW));

            assertThat(result.completed()).isPositive();
            assertThat(result.errors()).isEmpty();
        }
    }

    @Test
    void openLoopKeepsToItsSchedule() throws Exception {
        try (TestServers.Stream echo = new TestServers.Stream(b -> b)) {
            double rate = 2_000;
            LoadSpec spec = LoadSpec.closedLoop(Workload.TCP_ECHO, echo.address(), 4, 2, WARMUP, WINDOW).withRate(rate);

            LoadResult result = LoadClient.run(spec);

            assertThat(result.errors()).isEmpty();
            // requests due in the window, plus those due in the warm-up that may complete in it
            long scheduled = Math.round(rate * (WARMUP.toMillis() + WINDOW.toMillis() + 20) / 1000.0);
            assertThat(result.completed()).isPositive().isLessThanOrEqualTo(scheduled);
        }
    }

    @Test
    void udpEchoCompletesAndCountsLostDatagrams() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                byte[] buffer = new byte[2048];
                long seen = 0;
                while (!echo.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        echo.receive(packet);
                        if (++seen % 50 != 0) { // drops every 50th datagram
                            echo.send(packet);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            server.start();
            LoadSpec spec = new LoadSpec(Workload.UDP_ECHO, new InetSocketAddress(echo.getLocalAddress(), echo.getLocalPort()),
                    2, 1, WARMUP, WINDOW, 0, Duration.ofMillis(20), "/");

            LoadResult result = LoadClient.run(spec);
            echo.close();
            server.join(5_000);

            assertThat(result.completed()).isPositive();
            assertThat(result.errors()).containsKey("no reply within 20 ms (lost or late; resent)");
            assertThat(result.errors()).hasSize(1);
        }
    }

    @Test
    void httpGetReadsWholeResponsesAndCountsErrorStatuses() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        byte[] body = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        http.createContext("/file", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), http.getAddress().getPort());
            LoadResult ok = LoadClient.run(LoadSpec.closedLoop(Workload.HTTP_GET, address, 2, 1, WARMUP, WINDOW)
                    .withHttpPath("/file"));
            LoadResult missing = LoadClient.run(LoadSpec.closedLoop(Workload.HTTP_GET, address, 1, 1, WARMUP, WINDOW)
                    .withHttpPath("/nothing-here"));

            assertThat(ok.completed()).isPositive();
            assertThat(ok.errors()).isEmpty();
            assertThat(missing.completed()).isZero();
            assertThat(missing.errors()).containsKey("HTTP status 404");
        } finally {
            http.stop(0);
        }
    }
}
