package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/**
 * CPython's {@code test_ForkingTCPServer} and {@code test_ForkingUnixStreamServer} through its
 * {@code run_server} harness, with a forking server of a real plugin jar in a real host: three clients in
 * turn each get {@code hello world\n} back, then the server is closed, after which its socket is closed and
 * no child is left ({@code assertFalse(server.active_children)}, bpo-31151: closing waits for the children).
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
