package io.sockethost.plugins.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/** The echo plugin's real jar in a real host, on ephemeral loopback ports. */
@Timeout(60)
class EchoPluginIT {
    private static PluginHost host;

    @BeforeAll
    static void start() throws Exception {
        host = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar"))).start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void tcpReturnsOneMebibyteSentInUnevenChunksByteForByte() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        InetSocketAddress address = host.inetAddress("echo-tcp");
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(20_000);
            // Send from another thread so that neither side's buffers can deadlock the test.
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    Random sizes = new Random(7);
                    int offset = 0;
                    while (offset < data.length) {
                        int n = Math.min(1 + sizes.nextInt(70_000), data.length - offset);
                        out.write(data, offset, n);
                        offset += n;
                    }
                    out.flush();
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(received);
            sender.join();
            assertThat(received.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void udpReturnsEachDatagram() throws Exception {
        InetSocketAddress address = host.inetAddress("echo-udp");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5_000);
            for (String text : new String[] {"one", "two", "", "three"}) {
                byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(bytes, bytes.length, address));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                socket.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(text);
            }
        }
    }

    @Test
    void unixStreamEchoes() throws Exception {
        java.net.SocketAddress address = host.address("echo-unix-stream");
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(address)) {
            channel.write(java.nio.ByteBuffer.wrap("over a unix socket".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            byte[] reply = java.nio.channels.Channels.newInputStream(channel).readAllBytes();
            assertThat(new String(reply, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("over a unix socket");
        }
    }

    @Test
    void unixDatagramRepliesToTheBoundClient() throws Exception {
        java.net.UnixDomainSocketAddress address = (java.net.UnixDomainSocketAddress) host.address("echo-unix-datagram");
        Path clientPath = host.home().resolve("run/client.sock");
        try (org.newsclub.net.unix.AFUNIXDatagramChannel client = org.newsclub.net.unix.AFUNIXDatagramChannel.open()) {
            client.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(clientPath));
            client.send(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), org.newsclub.net.unix.AFUNIXSocketAddress.of(address.getPath()));
            java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocate(16);
            client.receive(reply);
            reply.flip();
            assertThat(reply.remaining()).isEqualTo(3);
            assertThat(reply.get(2)).isEqualTo((byte) 3);
        }
    }
}
