package io.sockethost.plugins.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.DatagramClient;
import io.sockethost.testkit.PluginHost;
import io.sockethost.testkit.StreamClient;
import io.sockethost.testkit.WithPluginHost;

/** The echo plugin's real jar in a real host, every server on an ephemeral address. */
@Timeout(60)
@WithPluginHost
class EchoPluginIT {

    @Test
    void tcpReturnsOneMebibyteSentInUnevenChunksByteForByte(PluginHost host) throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        try (StreamClient client = StreamClient.connect(host.address("echo-tcp"))) {
            // Send from another thread so that neither side's buffers can deadlock the test.
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    Random sizes = new Random(7);
                    int offset = 0;
                    while (offset < data.length) {
                        int n = Math.min(1 + sizes.nextInt(70_000), data.length - offset);
                        client.send(java.util.Arrays.copyOfRange(data, offset, offset + n));
                        offset += n;
                    }
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = client.receiveAll();
            sender.join();
            assertThat(received).isEqualTo(data);
        }
    }

    @Test
    void udpReturnsEachDatagram(PluginHost host) throws Exception {
        try (DatagramClient client = DatagramClient.to(host.address("echo-udp"))) {
            for (String text : new String[] {"one", "two", "", "three"}) {
                assertThat(client.send(text).receiveText()).isEqualTo(text);
            }
        }
    }

    @Test
    void unixStreamEchoes(PluginHost host) throws Exception {
        try (StreamClient client = StreamClient.connect(host.address("echo-unix-stream"))) {
            client.send("over a unix socket").shutdownOutput();
            assertThat(new String(client.receiveAll(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("over a unix socket");
        }
    }

    @Test
    void unixDatagramRepliesToTheBoundClient(PluginHost host) throws Exception {
        try (DatagramClient client = DatagramClient.to(host.address("echo-unix-datagram"))) {
            assertThat(client.send(new byte[] {1, 2, 3}).receive()).containsExactly(1, 2, 3);
        }
    }
}
