package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/**
 * The PROXY protocol on a forking server: the host reads the header, applies the verify rules to the client
 * it names, and hands the worker that client (in the relay header) together with the socket, whose bytes
 * after the header the worker's handler reads. A connection without a valid header never reaches a worker.
 * The build runs this class with connections handed over and again relayed.
 */
@Timeout(60)
class ProxyProtocolForkingIT {
    private PluginHost host;

    @AfterEach
    void stopHost() {
        MisbehavingPlugin.stop(host);
    }

    /** A forking server with one worker, trusting loopback, with a PROXY header timeout and more fields. */
    private InetSocketAddress start(int headerTimeout, String more) throws Exception {
        host = MisbehavingPlugin.host("{\"servers\": {\"" + MisbehavingPlugin.TCP + "\": {\"concurrency\": {\"mode\": "
                + "\"forking\", \"maxChildren\": 1, \"warmWorkers\": 1, \"requestsPerChild\": 0}, \"proxyProtocol\": "
                + "{\"trusted\": [\"127.0.0.1/32\"], \"headerTimeout\": " + headerTimeout + "}" + more + "}}}");
        return host.inetAddress(MisbehavingPlugin.TCP);
    }

    /** Whether the host closes the connection without an answer (a reset, for bytes it never read, counts too). */
    private static boolean closedWithoutAnswer(LineClient client) {
        try {
            return client.readLine() == null;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void write(LineClient client, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            client.channel().write(buffer);
        }
    }

    private static byte[] v1(String src, int port, String then) {
        return ("PROXY TCP4 " + src + " 127.0.0.1 " + port + " 8000\r\n" + then).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(String src, int port, String then) throws IOException {
        byte[] rest = then.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(28 + rest.length)
                .put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C})
                .put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName("127.0.0.1").getAddress())
                .putShort((short) port).putShort((short) 8000).put(rest).array();
    }

    @Test
    void theWorkerSeesTheClientTheHeaderNamesAndTheBytesSentWithIt() throws Exception {
        InetSocketAddress server = start(1, "");
        try (LineClient client = LineClient.connect(server)) {
            write(client, v1("203.0.113.7", 40001, "whoami\n"));
            String[] who = client.readLine().split("\t");
            assertThat(Long.parseLong(who[0])).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(who[1]).isEqualTo("/203.0.113.7:40001");
        }
        try (LineClient client = LineClient.connect(server)) {
            write(client, v2("198.51.100.9", 40002, "whoami\n"));
            assertThat(client.readLine().split("\t")[1]).isEqualTo("/198.51.100.9:40002");
        }
    }

    @Test
    void aConnectionWithoutAValidHeaderNeverReachesAWorker() throws Exception {
        InetSocketAddress server = start(1, "");
        try (LineClient missing = LineClient.connect(server)) {
            missing.send("whoami");
            assertThat(closedWithoutAnswer(missing)).as("no header").isTrue();
        }
        try (LineClient truncated = LineClient.connect(server)) {
            write(truncated, "PROXY TCP4 203.0.113.7".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedWithoutAnswer(truncated)).as("a header cut short, closed at the header timeout").isTrue();
        }
        try (LineClient client = LineClient.connect(server)) {
            write(client, v1("203.0.113.7", 1, "whoami\n"));
            assertThat(client.readLine().split("\t")[1]).as("the worker, still free").isEqualTo("/203.0.113.7:1");
        }
    }

    @Test
    void aSilentClientHoldsNoWorker() throws Exception {
        InetSocketAddress server = start(60, "");
        try (LineClient silent = LineClient.connect(server); LineClient client = LineClient.connect(server)) {
            // maxChildren is 1: a silent client that took it would keep this one waiting
            write(client, v2("198.51.100.9", 2, "whoami\n"));
            assertThat(client.readLine().split("\t")[1]).isEqualTo("/198.51.100.9:2");
            assertThat(silent.channel().isOpen()).isTrue();
        }
    }

    @Test
    void verifyRulesJudgeTheClientTheHeaderNames() throws Exception {
        InetSocketAddress server = start(1, ", \"verify\": {\"deny\": [\"203.0.113.0/24\"]}");
        try (LineClient denied = LineClient.connect(server)) {
            write(denied, v1("203.0.113.7", 1, "whoami\n"));
            assertThat(closedWithoutAnswer(denied)).isTrue();
        }
        try (LineClient allowed = LineClient.connect(server)) {
            write(allowed, v1("198.51.100.1", 1, "whoami\n"));
            assertThat(allowed.readLine().split("\t")[1]).isEqualTo("/198.51.100.1:1");
        }
    }

    @Test
    void anUntrustedSenderIsRefused() throws Exception {
        host = MisbehavingPlugin.host("{\"servers\": {\"" + MisbehavingPlugin.TCP + "\": {\"concurrency\": {\"mode\": "
                + "\"forking\", \"maxChildren\": 1, \"warmWorkers\": 1}, \"proxyProtocol\": {\"trusted\": [\"10.0.0.0/8\"]}}}}");
        try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            write(client, v1("203.0.113.7", 1, "whoami\n"));
            assertThat(closedWithoutAnswer(client)).isTrue();
        }
    }
}
