package io.sockethost.core.forking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hello and the request header, over a real Unix socket pair. */
@Timeout(30)
class RelayProtocolTest {
    private Path dir;
    private SocketChannel workerEnd;
    private SocketChannel hostEnd;

    @BeforeEach
    void connect() throws IOException {
        dir = Files.createTempDirectory("relay-protocol");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dir.resolve("r.sock")));
            workerEnd = SocketChannel.open(listener.getLocalAddress());
            hostEnd = listener.accept();
        }
    }

    @AfterEach
    void close() throws IOException {
        workerEnd.close();
        hostEnd.close();
        Files.deleteIfExists(dir.resolve("r.sock"));
        Files.deleteIfExists(dir);
    }

    @Test
    void helloCarriesKindAndWorkerId() throws IOException {
        RelayProtocol.writeHello(workerEnd, RelayProtocol.RETIRING, 0x1234_5678_9abcL);
        assertThat(RelayProtocol.readHello(hostEnd)).isEqualTo(new RelayProtocol.Hello(RelayProtocol.RETIRING, 0x1234_5678_9abcL));
    }

    @Test
    void somethingElseThanAHelloIsRefused() throws IOException {
        workerEnd.write(ByteBuffer.wrap("GET / HTTP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> RelayProtocol.readHello(hostEnd)).hasMessageContaining("not a sockethost worker hello");
    }

    @Test
    void clientAddressesOfEveryKindArriveIntact() throws IOException {
        for (SocketAddress client : new SocketAddress[] {
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000),
            new InetSocketAddress(InetAddress.getByName("::1"), 65535),
            UnixDomainSocketAddress.of("/run/client.sock"),
            UnixDomainSocketAddress.of(""), // an unbound Unix client
        }) {
            RelayProtocol.writeClient(hostEnd, client);
            assertThat(RelayProtocol.readClient(workerEnd)).isEqualTo(client);
        }
    }

    @Test
    void theBytesAfterTheHeaderAreLeftForTheHandler() throws IOException {
        RelayProtocol.writeClient(hostEnd, new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 1));
        hostEnd.write(ByteBuffer.wrap(new byte[] {42}));
        RelayProtocol.readClient(workerEnd);
        ByteBuffer rest = ByteBuffer.allocate(1);
        workerEnd.read(rest);
        assertThat(rest.get(0)).isEqualTo((byte) 42);
    }

    @Test
    void aHostThatClosesInsteadOfSendingARequestIsAnEndOfFile() throws IOException {
        hostEnd.close();
        assertThatThrownBy(() -> RelayProtocol.readClient(workerEnd)).isInstanceOf(EOFException.class);
    }

    @Test
    void aDatagramAndItsReplyArriveIntactEmptyOnesIncluded() throws IOException {
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        for (byte[] datagram : new byte[][] {"hello world\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[0], new byte[65_507]}) {
            RelayProtocol.writeDatagram(hostEnd, client, ByteBuffer.wrap(datagram));
            assertThat(RelayProtocol.readClient(workerEnd)).isEqualTo(client);
            ByteBuffer received = RelayProtocol.readDatagram(workerEnd);
            assertThat(received).isEqualTo(ByteBuffer.wrap(datagram));
            // a worker echoes it: the reply, as many bytes as the datagram, empty included
            RelayProtocol.writeReply(workerEnd, received);
            assertThat(RelayProtocol.readReply(hostEnd)).isEqualTo(ByteBuffer.wrap(datagram));
        }
    }

    @Test
    void noReplyIsNotAnEmptyReply() throws IOException {
        RelayProtocol.writeReply(workerEnd, null);
        RelayProtocol.writeReply(workerEnd, ByteBuffer.allocate(0));
        assertThat(RelayProtocol.readReply(hostEnd)).isNull();
        assertThat(RelayProtocol.readReply(hostEnd)).isEqualTo(ByteBuffer.allocate(0));
    }

    @Test
    void aWorkerThatDiesBeforeAnsweringIsAnEndOfFile() throws IOException {
        RelayProtocol.writeDatagram(hostEnd, UnixDomainSocketAddress.of("/run/c.sock"), ByteBuffer.wrap(new byte[] {1}));
        workerEnd.close();
        assertThatThrownBy(() -> RelayProtocol.readReply(hostEnd)).isInstanceOf(IOException.class);
    }
}
