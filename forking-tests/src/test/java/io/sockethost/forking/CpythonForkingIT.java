package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.testkit.DatagramClient;
import io.sockethost.testkit.PluginHost;

/**
 * CPython's {@code test_ForkingTCPServer}, {@code test_ForkingUnixStreamServer}, {@code test_ForkingUDPServer}
 * and {@code test_ForkingUnixDatagramServer} through its {@code run_server} harness, with a forking server of
 * a real plugin jar in a real host: three clients in turn each get {@code hello world\n} back, then the
 * server is closed, after which its socket is closed and no child is left
 * ({@code assertFalse(server.active_children)}, bpo-31151: closing waits for the children). And
 * {@code ErrorHandlerTest.test_forking_handled} / {@code test_forking_not_handled}: CPython's
 * {@code BadHandler} notes its call in a file and raises; {@code handle_error} notes its own call there for
 * an exception, and not for {@code SystemExit} (Java's {@code Error} here), all in the child.
 */
@Timeout(120)
class CpythonForkingIT {
    private static final String TEST_STR = "hello world";

    private static void servesThreeClientsThenClosesWithNoChildLeft(String server, String... overrides) throws Exception {
        PluginHost host = MisbehavingPlugin.host(overrides);
        SocketAddress address;
        try {
            address = host.address(server);
            for (int i = 0; i < 3; i++) {
                try (LineClient client = LineClient.connect(address)) {
                    client.send("cat"); // the fixture's echo: what follows comes back until the end of input
                    client.send(TEST_STR);
                    client.channel().shutdownOutput();
                    assertThat(client.readLine()).isEqualTo(TEST_STR);
                    assertThat(client.readLine()).isNull();
                }
            }
        } finally {
            host.close();
        }
        assertThat(Workers.ofThisJvm()).as("children alive after close").isEmpty();
        if (address instanceof UnixDomainSocketAddress unix) {
            assertThat(Files.exists(unix.getPath())).as("socket file removed").isFalse();
        }
        assertThatThrownBy(() -> {
            try (SocketChannel again = SocketChannel.open(address instanceof UnixDomainSocketAddress
                    ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET)) {
                again.connect(address);
            }
        }).as("the server's socket is closed").isInstanceOf(IOException.class);
    }

    private static void servesThreeDatagramClientsThenClosesWithNoChildLeft(String server) throws Exception {
        PluginHost host = ForkingDatagramIT.datagramHost(server, "");
        SocketAddress address;
        try {
            address = host.address(server);
            for (int i = 0; i < 3; i++) {
                try (DatagramClient client = ForkingDatagramIT.client(address)) {
                    assertThat(ForkingDatagramIT.ask(client, TEST_STR + "\n")).isEqualTo(TEST_STR + "\n");
                }
            }
        } finally {
            host.close();
        }
        assertThat(Workers.ofThisJvm()).as("children alive after close").isEmpty();
        if (address instanceof UnixDomainSocketAddress unix) {
            assertThat(Files.exists(unix.getPath())).as("socket file removed").isFalse();
        } else {
            // UDP has no connection to refuse: the port is free again only once the server's socket is closed
            try (DatagramChannel again = DatagramChannel.open(StandardProtocolFamily.INET)) {
                again.bind(address);
            }
        }
    }

    @Test
    void forkingUdpServer() throws Exception {
        servesThreeDatagramClientsThenClosesWithNoChildLeft(ForkingDatagramIT.UDP);
    }

    @Test
    void forkingUnixDatagramServer() throws Exception {
        servesThreeDatagramClientsThenClosesWithNoChildLeft(ForkingDatagramIT.UNIX);
    }

    /** CPython's {@code BaseErrorTestServer}: one connection, one request, and what the log file holds. */
    private static String errorTestServer(String kind, Path file) throws Exception {
        PluginHost host = MisbehavingPlugin.host();
        try (LineClient client = LineClient.connect(host.address(MisbehavingPlugin.TCP))) {
            long pid = client.pid();
            client.send("raise " + kind + " " + file);
            assertThat(client.readLine()).as("the connection ends").isNull();
            // requestsPerChild 1: the child exits once its request is over, hook included (wait_done)
            Workers.awaitExit(List.of(pid), Duration.ofSeconds(20));
        } finally {
            MisbehavingPlugin.stop(host);
        }
        return Files.readString(file);
    }

    @Test
    void forkingHandled(@TempDir Path dir) throws Exception {
        assertThat(errorTestServer("exception", dir.resolve("log"))).isEqualTo("Handler called\nError handled\n");
    }

    @Test
    void forkingNotHandled(@TempDir Path dir) throws Exception {
        assertThat(errorTestServer("error", dir.resolve("log"))).isEqualTo("Handler called\n");
    }

    @Test
    void forkingTcpServer() throws Exception {
        servesThreeClientsThenClosesWithNoChildLeft(MisbehavingPlugin.TCP);
    }

    @Test
    void forkingUnixStreamServer() throws Exception {
        servesThreeClientsThenClosesWithNoChildLeft(MisbehavingPlugin.UNIX, "{\"servers\": {\"" + MisbehavingPlugin.TCP
                + "\": {\"enabled\": false}, \"" + MisbehavingPlugin.UNIX + "\": {\"enabled\": true}}}");
    }
}
