package io.sockethost.distribution;

import static io.sockethost.distribution.DistributionIT.START;
import static io.sockethost.distribution.DistributionIT.awaitStarted;
import static io.sockethost.distribution.DistributionIT.stopWithSigterm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;

/**
 * Two hosts on one machine share echo's tcp and udp address with {@code reusePort} (SO_REUSEPORT): the kernel
 * spreads new connections and datagrams over both, both serve, and when one is stopped with SIGTERM (it
 * drains) the other goes on serving, while clients keep connecting throughout and no connection is refused.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@EnabledOnOs(value = OS.LINUX, disabledReason = "SO_REUSEPORT spreads connections over listeners only on Linux (BSD and macOS give them all to the last one)")
class ReusePortIT extends InstalledDistribution {
    private static final String ACCEPTED = "sockethost_connections_accepted_total";
    private static final String REQUESTS = "sockethost_requests_total";
    /** How long a udp client waits for its answer before it sends the datagram again. */
    private static final int UDP_RETRY_MILLIS = 1_000;

    @Test
    void twoHostsServeOneAddressAndTheSecondServesOnWhileTheFirstDrains() throws Exception {
        Installation second = Installation.unzip(Path.of(System.getProperty("distribution.zip")),
                System.getProperty("distribution.name"), temp.resolve("second host"));
        InetSocketAddress echo = new InetSocketAddress("127.0.0.1", freeTcpAndUdpPort());
        for (Installation each : List.of(install, second)) {
            ObjectNode servers = StrictJson.MAPPER.createObjectNode();
            servers.putObject("echo-tcp").put("address", "127.0.0.1:" + echo.getPort()).put("reusePort", true);
            servers.putObject("echo-udp").put("address", "127.0.0.1:" + echo.getPort()).put("reusePort", true);
            each.writeTestOverrides("test", 10, servers);
            AdminListener.enable(each);
        }

        try (HostProcess first = start();
             HostProcess other = HostProcess.start(second.launcher(), elsewhere, environment)) {
            assertThat(awaitStarted(first).get("echo-tcp").address()).isEqualTo("127.0.0.1:" + echo.getPort());
            assertThat(awaitStarted(other).get("echo-udp").address()).isEqualTo("127.0.0.1:" + echo.getPort());
            AdminListener firstAdmin = AdminListener.of(first);
            AdminListener otherAdmin = AdminListener.of(other);

            AtomicInteger udpRetries = new AtomicInteger();
            List<Long> cuts = new CopyOnWriteArrayList<>();
            try (RepeatedExchanges tcp = new RepeatedExchanges("tcp", n -> tcpExchange(echo, n, cuts));
                 RepeatedExchanges udp = new RepeatedExchanges("udp", n -> udpExchange(echo, n, udpRetries))) {
                // each connection and each datagram (from a new port) is hashed to one of the two listeners
                await("both hosts serve tcp and udp").atMost(START).pollInterval(Duration.ofMillis(200)).until(() ->
                        firstAdmin.sample(ACCEPTED, "echo-tcp") > 0 && otherAdmin.sample(ACCEPTED, "echo-tcp") > 0
                                && firstAdmin.sample(REQUESTS, "echo-udp") > 0 && otherAdmin.sample(REQUESTS, "echo-udp") > 0);

                long sigterm = System.nanoTime();
                stopWithSigterm(first);
                long exited = System.nanoTime();
                assertThat(first.stderr()).as(first.transcript()).anyMatch(l -> l.contains(DistributionIT.STOPPING.pattern()));
                double servedBefore = otherAdmin.sample(ACCEPTED, "echo-tcp");
                int tcpAtStop = tcp.done();
                int udpAtStop = udp.done();
                await("the other host serves on alone").atMost(START).pollInterval(Duration.ofMillis(100))
                        .until(() -> tcp.done() >= tcpAtStop + 200 && udp.done() >= udpAtStop + 50);
                tcp.stop();
                udp.stop();
                assertThat(tcp.failures()).as("%s\n%s", tcp, other.transcript()).isEmpty();
                assertThat(udp.failures()).as("%s\n%s", udp, other.transcript()).isEmpty();
                assertThat(otherAdmin.sample(ACCEPTED, "echo-tcp")).as("connections the remaining host accepted")
                        .isGreaterThanOrEqualTo(servedBefore + 200);
                // A connection that reached the stopping host in the instant it stopped (waiting in its accept
                // queue as it closed the listener, or accepted but not yet read when its requests were drained)
                // is cut; its client's second attempt reaches the remaining host. Only then, and never refused.
                assertThat(cuts).as("when connections were cut, against the stop's window").allSatisfy(at ->
                        assertThat(at).isBetween(sigterm, exited));
                // A datagram the stopped host had not read yet when it closed its socket is lost (udp has nothing
                // to drain); its client's resend reaches the remaining host. Report how many there were.
                System.out.printf("ReusePortIT: %d tcp and %d udp exchanges answered; %d tcp connection(s) cut during the stop and"
                        + " tried again, %d udp datagram(s) resent%n", tcp.done(), udp.done(), cuts.size(), udpRetries.get());
            }
            stopWithSigterm(other);
        }
    }

    /** One connection, one line echoed; a cut connection is tried once more ({@link RepeatedExchanges#retriedOnceIfCut}). */
    private static String tcpExchange(InetSocketAddress echo, int n, List<Long> cuts) throws IOException {
        String sent = "tcp " + n + "\n";
        String answer = RepeatedExchanges.retriedOnceIfCut(() -> EchoClients.tcpLeavingNoTimeWait(echo, sent), cuts);
        return answer.equals(sent) ? null : "answered \"" + answer + "\" to \"" + sent.strip() + "\"";
    }

    /**
     * One datagram from a new socket (a new source port, so the kernel may pick either host), sent again
     * from the same port up to twice when its answer does not come within a second.
     */
    private static String udpExchange(InetSocketAddress echo, int n, AtomicInteger retries) throws IOException {
        byte[] sent = ("udp " + n).getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(UDP_RETRY_MILLIS);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (attempt > 0) {
                    retries.incrementAndGet();
                }
                socket.send(new DatagramPacket(sent, sent.length, echo));
                DatagramPacket reply = new DatagramPacket(new byte[256], 256);
                try {
                    socket.receive(reply);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String answer = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
                return answer.equals("udp " + n) ? null : "answered \"" + answer + "\" to \"udp " + n + "\"";
            }
            return "no answer to \"udp " + n + "\" in 3 attempts";
        }
    }

    /** A port free for both tcp and udp on loopback now (both hosts then bind it with SO_REUSEPORT). */
    private static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (java.net.BindException e) {
                // taken for udp: try another
            }
        }
        throw new AssertionError("no port free for both tcp and udp on 127.0.0.1 in 20 attempts");
    }
}
