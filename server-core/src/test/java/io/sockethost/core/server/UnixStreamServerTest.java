package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.config.ServerConfig;

/** Unix stream servers: the socket file's life cycle and read timeouts without a socket adaptor. */
@Timeout(30)
class UnixStreamServerTest {
    @TempDir
    Path dir;

    ServerConfig config(Path socket, String extra) throws Exception {
        return TestServers.config("{\"transport\": \"unix-stream\", \"address\": \"" + socket + "\"" + extra + "}", dir);
    }

    static String echo(Path socket, String text) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            InputStream in = Channels.newInputStream(channel);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void createsTheFileWithTheConfiguredModeServesAndRemovesIt() throws Exception {
        Path socket = dir.resolve("sub/echo.sock");
        TestServers.Running s = TestServers.stream(config(socket, ", \"socketMode\": \"0600\""), StreamServerTest.Echo::new);
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(echo(socket, "over unix")).isEqualTo("over unix");
            assertThat(s.server.boundAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        } finally {
            s.close();
        }
        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void aStaleSocketFileLeftByADeadProcessIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file behind, as a crash would
        }
        assertThat(Files.exists(socket)).isTrue();
        try (TestServers.Running s = TestServers.stream(config(socket, ""), StreamServerTest.Echo::new)) {
            assertThat(echo(socket, "fresh")).isEqualTo("fresh");
        }
    }

    @Test
    void aLiveListenerIsNeverStolen() throws Exception {
        Path socket = dir.resolve("live.sock");
        try (TestServers.Running first = TestServers.stream(config(socket, ""), StreamServerTest.Echo::new)) {
            ServerConfig second = TestServers.config("{\"name\": \"second\", \"transport\": \"unix-stream\", \"address\": \""
                    + socket + "\"}", dir);
            try (StreamServer thief = new StreamServer(second, StreamServerTest.Echo::new, TestServers.NO_HOOKS,
                    TestServers.dispatcher("second", second.concurrency()))) {
                assertThatThrownBy(thief::open).isInstanceOf(IOException.class)
                        .hasMessageContaining("second").hasMessageContaining("in use by a running server");
            }
            assertThat(echo(socket, "still mine")).isEqualTo("still mine");
        }
    }

    @Test
    void aRegularFileInTheWayIsNotDeleted() throws Exception {
        Path socket = Files.writeString(dir.resolve("data.sock"), "precious");
        StreamServer server = new StreamServer(config(socket, ""), StreamServerTest.Echo::new, TestServers.NO_HOOKS,
                TestServers.dispatcher("t", config(socket, "").concurrency()));
        assertThatThrownBy(server::open).isInstanceOf(IOException.class).hasMessageContaining("is not a socket");
        assertThat(Files.readString(socket)).isEqualTo("precious");
    }

    @Test
    void readTimeoutAppliesToUnixConnections() throws Exception {
        Path socket = dir.resolve("idle.sock");
        try (TestServers.Running s = TestServers.stream(config(socket, ", \"readTimeout\": 0.1"), StreamServerTest.Echo::new);
             SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer buffer = ByteBuffer.allocate(1);
            assertThat(idle.read(buffer)).as("server closed the idle connection").isEqualTo(-1);
        }
    }
}
