package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;

/**
 * The PROXY protocol through the real distribution ({@code bin/sockethost} with a {@code conf/servers} file),
 * as a load balancer in front of it uses it: v1 and v2 headers with the client's bytes in the same segment,
 * in {@code threading} and {@code forking} servers; http-lite's access log naming the original client; a
 * verify rule judging it; and a connection without a header, from an untrusted sender, or with a header cut
 * short, each closed and logged at INFO naming the sender and the reason.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration LOG = Duration.ofSeconds(20);
    private static final Pattern SERVER_LINE = Pattern.compile("server (\\S+) \\((\\S+)\\) listening on (\\S+) (.+) \\[[^\\]]*\\]$");
    private static final Pattern STARTED = Pattern.compile("sockethost started (\\d+) server\\(s\\)");
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @TempDir
    Path temp;

    /** Adds a copy of server {@code from} on a free port with the PROXY protocol on, trusting {@code trusted}. */
    private static ObjectNode proxied(ObjectNode servers, String name, String from, String... trusted) {
        ObjectNode server = servers.putObject(name).put("from", from).put("address", "127.0.0.1:0");
        var list = server.putObject("proxyProtocol").put("headerTimeout", 1).putArray("trusted");
        for (String cidr : trusted) {
            list.add(cidr);
        }
        return server;
    }

    private static byte[] v1(String src, int port, String then) {
        return ("PROXY TCP4 " + src + " 127.0.0.1 " + port + " 8000\r\n" + then).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(String src, int port, String then) throws IOException {
        byte[] rest = then.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(28 + rest.length).put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                .put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName("127.0.0.1").getAddress())
                .putShort((short) port).putShort((short) 8000).put(rest).array();
    }

    /** Sends {@code bytes} in one write, ends its output, and returns all the server sent back until it closed. */
    private static String exchange(String address, byte[] bytes) throws IOException {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    EchoClients.TIMEOUT_MILLIS);
            socket.setSoTimeout(EchoClients.TIMEOUT_MILLIS);
            socket.getOutputStream().write(bytes);
            socket.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            try {
                in.transferTo(answer);
            } catch (java.net.SocketException reset) {
                // closed with bytes it never read (refused): a reset instead of an end of stream
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aLoadBalancersHeadersNameTheClientsAndConnectionsWithoutAValidOneAreClosed() throws Exception {
        Installation install = Installation.unzipBuilt(temp);
        ObjectNode extra = StrictJson.MAPPER.createObjectNode();
        proxied(extra, "echo-proxied", "echo-tcp", "127.0.0.1/32").putObject("verify").putArray("deny").add("192.0.2.0/24");
        proxied(extra, "echo-proxied-cut", "echo-tcp", "127.0.0.1/32");
        proxied(extra, "echo-proxied-untrusted", "echo-tcp", "10.0.0.0/8");
        proxied(extra, "echo-proxied-forking", "echo-tcp", "127.0.0.1/32").putObject("concurrency")
                .put("mode", "forking").put("maxChildren", 1).put("warmWorkers", 1);
        proxied(extra, "http-proxied", "http-lite", "::1/128", "127.0.0.0/8");
        install.writeTestOverrides("proxy", 10, extra);
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        try (HostProcess host = HostProcess.start(install.launcher(), elsewhere, Map.of("JAVA_HOME", System.getProperty("java.home")))) {
            host.awaitLog(STARTED, START);
            Map<String, String> servers = new LinkedHashMap<>();
            host.forEachLog(SERVER_LINE, m -> servers.put(m.group(1), m.group(4)));
            String echo = servers.get("echo-proxied");

            assertThat(exchange(echo, v1("203.0.113.7", 40001, "hello v1\n"))).as(host.transcript()).isEqualTo("hello v1\n");
            assertThat(exchange(echo, v2("203.0.113.8", 40002, "hello v2\n"))).isEqualTo("hello v2\n");
            assertThat(exchange(servers.get("echo-proxied-forking"), v2("203.0.113.9", 40003, "in a worker\n")))
                    .isEqualTo("in a worker\n");
            String page = exchange(servers.get("http-proxied"),
                    v1("198.51.100.23", 40004, "GET / HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n"));
            assertThat(page).startsWith("HTTP/1.1 200 ");
            host.awaitLog(Pattern.compile("http-proxied 198\\.51\\.100\\.23:40004 \"GET / HTTP/1\\.1\" 200 "), LOG);

            assertThat(exchange(echo, "no header\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
            host.awaitLog(Pattern.compile("INFO .*server echo-proxied: refused client 127\\.0\\.0\\.1: PROXY protocol: the connection "
                    + "does not begin with a PROXY protocol header.*; it began \"no header\\\\x0a\""), LOG);

            assertThat(exchange(servers.get("echo-proxied-untrusted"), v1("203.0.113.7", 1, "hello\n"))).isEmpty();
            host.awaitLog(Pattern.compile("INFO .*server echo-proxied-untrusted: refused client 127\\.0\\.0\\.1: PROXY protocol: "
                    + "not a trusted sender of headers \\(proxyProtocol\\.trusted\\)"), LOG);

            byte[] cut = v2("203.0.113.7", 1, "");
            assertThat(exchange(servers.get("echo-proxied-cut"), java.util.Arrays.copyOf(cut, 20))).isEmpty();
            host.awaitLog(Pattern.compile("INFO .*server echo-proxied-cut: refused client 127\\.0\\.0\\.1: PROXY protocol: the "
                    + "connection ended inside the PROXY protocol header, after 20 bytes"), LOG);

            assertThat(exchange(echo, v1("192.0.2.1", 1, "denied\n"))).isEmpty();
            host.awaitLog(Pattern.compile("INFO .*server echo-proxied: refused client 192\\.0\\.2\\.1: not allowed by verify"), LOG);

            host.signal("TERM");
            assertThat(host.awaitExit(Duration.ofSeconds(30))).as(host.transcript()).isZero();
        }
    }
}
