package io.sockethost.plugins.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sockethost.testkit.DatagramClient;
import io.sockethost.testkit.PluginHost;
import io.sockethost.testkit.StreamClient;

/**
 * Every transport (tcp4, tcp6, udp4, udp6, unix-stream, unix-datagram) x concurrency (sync, threading)
 * through the real echo jar: 64 KiB round trips on streams, maxPacketSize boundaries on datagrams (the
 * largest datagram comes back whole, one byte more comes back truncated to maxPacketSize, as Python does).
 */
@Timeout(60)
class EchoTransportMatrixIT {
    static final Path JAR = Path.of(System.getProperty("plugin.jar"));
    static final int MAX_PACKET = 1000;

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String server : List.of("echo-tcp", "echo-tcp6", "echo-udp", "echo-udp6", "echo-unix-stream", "echo-unix-datagram")) {
            for (String mode : List.of("sync", "threading")) {
                cases.add(Arguments.of(server, mode));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void echoes(String server, String mode) throws Exception {
        if (server.endsWith("6")) {
            Assumptions.assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        }
        String concurrency = "{\"mode\": \"" + mode + "\"}";
        String override = """
                {"servers": {
                  "echo-tcp": {"concurrency": %1$s},
                  "echo-udp": {"concurrency": %1$s, "maxPacketSize": %2$d},
                  "echo-unix-stream": {"concurrency": %1$s},
                  "echo-unix-datagram": {"concurrency": %1$s, "maxPacketSize": %2$d},
                  "echo-tcp6": {"from": "echo-tcp", "address": "[::1]:0", "enabled": %3$s},
                  "echo-udp6": {"from": "echo-udp", "address": "[::1]:0", "enabled": %3$s}
                }}""".formatted(concurrency, MAX_PACKET, ipv6Loopback());
        try (PluginHost host = PluginHost.builder().plugin(JAR).override(override).start()) {
            if (server.contains("udp") || server.contains("datagram")) {
                datagramRoundTrips(host, server);
            } else {
                streamRoundTrip(host, server);
            }
        }
    }

    private static void streamRoundTrip(PluginHost host, String server) throws Exception {
        byte[] payload = new byte[64 * 1024];
        new Random(server.hashCode()).nextBytes(payload);
        try (StreamClient client = StreamClient.connect(host.address(server))) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    client.send(payload).shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(client.receiveAll()).isEqualTo(payload);
            sending.join();
        }
    }

    private static void datagramRoundTrips(PluginHost host, String server) throws Exception {
        try (DatagramClient client = DatagramClient.to(host.address(server))) {
            byte[] largest = new byte[MAX_PACKET];
            new Random(1).nextBytes(largest);
            assertThat(client.send(largest).receive()).isEqualTo(largest);
            byte[] tooLong = new byte[MAX_PACKET + 1];
            new Random(2).nextBytes(tooLong);
            assertThat(client.send(tooLong).receive()).isEqualTo(java.util.Arrays.copyOf(tooLong, MAX_PACKET));
            assertThat(client.send("small").receiveText()).isEqualTo("small");
        }
    }

    static boolean ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
