package io.sockethost.core.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.sockethost.api.Transport;

/** {@link ProcSockets} on this JVM's own sockets, as the kernel lists them. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ProcSocketsTest {
    private final ProcSockets proc = new ProcSockets(Path.of("/proc"));

    @TempDir
    Path temp;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/net")), "socket activation reads Linux's /proc");
    }

    /** Every descriptor of this process that {@code proc} describes as {@code transport} at {@code address}. */
    private List<Integer> descriptorsOf(Transport transport, SocketAddress address) throws IOException {
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                ProcSockets.Described d;
                try {
                    d = proc.describe(Integer.parseInt(fd.getFileName().toString()));
                } catch (IOException notASocket) {
                    continue;
                }
                if (d != null && d.transport() == transport && InheritedSockets.sameAddress(d.address(), address)) {
                    found.add(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        return found;
    }

    @Test
    void findsEachKindOfSocketWithItsAddress() throws Exception {
        try (ServerSocketChannel tcp = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
             ServerSocketChannel unixStream = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                     .bind(UnixDomainSocketAddress.of(temp.resolve("stream.sock")));
             AFUNIXDatagramChannel unixDatagram = AFUNIXDatagramChannel.open()) {
            unixDatagram.bind(AFUNIXSocketAddress.of(temp.resolve("datagram.sock")));
            assertThat(descriptorsOf(Transport.TCP, local(tcp))).hasSize(1);
            assertThat(descriptorsOf(Transport.UDP, local(udp))).hasSize(1);
            assertThat(descriptorsOf(Transport.UNIX_STREAM, UnixDomainSocketAddress.of(temp.resolve("stream.sock")))).hasSize(1);
            assertThat(descriptorsOf(Transport.UNIX_DATAGRAM, UnixDomainSocketAddress.of(temp.resolve("datagram.sock")))).hasSize(1);
            // the kinds are told apart: no TCP listener sits at the UDP socket's address
            assertThat(descriptorsOf(Transport.TCP, local(udp))).isEmpty();
        }
    }

    @Test
    void anIpv6ListenerIsReadInNetworkOrder() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        ServerSocketChannel tcp6;
        try {
            tcp6 = ServerSocketChannel.open(StandardProtocolFamily.INET6).bind(new InetSocketAddress(loopback6, 0));
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        try (tcp6) {
            assertThat(descriptorsOf(Transport.TCP, local(tcp6))).hasSize(1);
        }
    }

    @Test
    void parsesTheKernelsHexAddresses() throws Exception {
        assertThat(ProcSockets.inetAddress("0100007F:1F40")).isEqualTo(new InetSocketAddress("127.0.0.1", 8000));
        assertThat(ProcSockets.inetAddress("00000000000000000000000001000000:0050"))
                .isEqualTo(new InetSocketAddress("::1", 80));
    }

    @Test
    void aDescriptorThatIsNoSocketIsNamedInTheError() throws Exception {
        Path file = Files.writeString(temp.resolve("plain.txt"), "x");
        try (var in = Files.newInputStream(file)) {
            int fd = -1;
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path p : fds) {
                    try {
                        if (Files.readSymbolicLink(p).equals(file.toRealPath())) {
                            fd = Integer.parseInt(p.getFileName().toString());
                        }
                    } catch (IOException gone) {
                        // the directory stream's own descriptor, closed meanwhile
                    }
                }
            }
            int descriptor = fd;
            assertThat(descriptor).isPositive();
            assertThatThrownBy(() -> proc.describe(descriptor)).isInstanceOf(IOException.class)
                    .hasMessageContaining("descriptor " + descriptor + " is not a socket");
        }
    }

    private static SocketAddress local(NetworkChannel channel) throws IOException {
        return channel.getLocalAddress();
    }
}
