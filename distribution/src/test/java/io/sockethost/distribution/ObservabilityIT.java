package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.StandardSocketOptions;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;

/**
 * Operating the real distribution through {@code bin/sockethost}: the test stands in for systemd (a
 * {@code NOTIFY_SOCKET} it listens on; sockets it passes with {@code LISTEN_FDS}) and for Prometheus (the admin
 * listener's {@code /metrics} and {@code /health}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@EnabledOnOs(value = OS.LINUX, disabledReason = "systemd's protocols, and /proc for socket activation")
class ObservabilityIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final Pattern SERVER_LINE = Pattern.compile("server (\\S+) \\((\\S+)\\) listening on (\\S+) (.+) \\[[^\\]]*\\]$");
    private static final Pattern STARTED = Pattern.compile("sockethost started (\\d+) server\\(s\\)");
    private static final Pattern ADMIN = Pattern.compile("admin listener on http://(127\\.0\\.0\\.1:\\d+)/");

    @TempDir
    Path temp;

    private Installation install;
    private Path elsewhere;
    private final Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void unpack() throws IOException {
        install = Installation.unzip(Path.of(System.getProperty("distribution.zip")), System.getProperty("distribution.name"),
                temp.resolve("sockethost dist"));
        elsewhere = Files.createDirectories(temp.resolve("somewhere else"));
    }

    /** The servers the startup lines announced, by name, once the summary line is out: name to address. */
    private static Map<String, String> awaitStarted(HostProcess host) throws InterruptedException {
        host.awaitLog(STARTED, START);
        Map<String, String> servers = new LinkedHashMap<>();
        host.forEachLog(SERVER_LINE, m -> servers.put(m.group(1), m.group(4)));
        return servers;
    }

    private static InetSocketAddress inet(String address) {
        int colon = address.lastIndexOf(':');
        return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    private static void stopWithSigterm(HostProcess host) throws IOException, InterruptedException {
        host.signal("TERM");
        assertThat(host.awaitExit(STOP)).as(host.transcript()).isZero();
    }

    private static String receive(AFUNIXDatagramChannel systemd) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        systemd.receive(buffer);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    private HttpResponse<String> get(String admin, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + admin + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of {@code name{...server="<server>"...}} in a scrape (with {@code label} too, if given), or -1. */
    static double sample(String scrape, String name, String server, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains("server=\"" + server + "\"") && (label == null || m.group(1).contains(label))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    @Test
    void tellsSystemdWhenItIsReadyAndStoppingAndItsMetricsMoveWithTraffic() throws Exception {
        ObjectNode extra = StrictJson.MAPPER.createObjectNode();
        extra.putObject("echo-denied").put("from", "echo-tcp").put("address", "127.0.0.1:0")
                .putObject("verify").putArray("deny").add("127.0.0.1/32");
        extra.putObject("echo-forking").put("from", "echo-tcp").put("address", "127.0.0.1:0").putObject("concurrency")
                .put("mode", "forking").put("maxChildren", 2).put("warmWorkers", 1);
        install.writeTestOverrides("test", 10, extra);
        // read before test.json, whose host block leaves the admin address alone
        Files.writeString(install.conf().resolve("servers/admin.json"), "{\"host\": {\"admin\": {\"address\": \"127.0.0.1:0\"}}}");
        Path notify = temp.resolve("notify.sock");
        try (AFUNIXDatagramChannel systemd = AFUNIXDatagramChannel.open()) {
            systemd.bind(AFUNIXSocketAddress.of(notify));
            systemd.socket().setSoTimeout((int) START.toMillis());
            environment.put("NOTIFY_SOCKET", notify.toString());
            try (HostProcess host = HostProcess.start(install.launcher(), elsewhere, environment)) {
                Map<String, String> servers = awaitStarted(host);
                assertThat(receive(systemd)).as(host.transcript())
                        .isEqualTo("READY=1\nSTATUS=serving: " + servers.size() + " of " + servers.size() + " server(s) listening");
                String admin = host.awaitLog(ADMIN, START).group(1);

                HttpResponse<String> health = get(admin, "/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                JsonNode report = StrictJson.MAPPER.readTree(health.body());
                assertThat(report.path("status").asText()).isEqualTo("up");
                List<String> listening = new ArrayList<>();
                report.path("servers").forEach(s -> listening.add(s.path("name").asText() + " " + s.path("state").asText()));
                assertThat(listening).containsExactlyInAnyOrderElementsOf(
                        servers.keySet().stream().map(name -> name + " listening").toList());

                for (int i = 0; i < 3; i++) {
                    assertThat(EchoClients.tcp(inet(servers.get("echo-tcp")), "hello " + i + "\n")).isEqualTo("hello " + i + "\n");
                }
                assertThat(EchoClients.udp(inet(servers.get("echo-udp")), "one datagram")).isEqualTo("one datagram");
                assertThat(EchoClients.tcp(inet(servers.get("echo-forking")), "in a worker\n")).isEqualTo("in a worker\n");
                try {
                    assertThat(EchoClients.tcp(inet(servers.get("echo-denied")), "refused\n")).isEmpty();
                } catch (IOException reset) {
                    // closed before it read the request: a reset instead of an end of stream, refused all the same
                }

                Awaitility.await("the counts of the traffic sent").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            String scrape = get(admin, "/metrics").body();
                            return sample(scrape, "sockethost_requests_total", "echo-tcp", null) == 3
                                    && sample(scrape, "sockethost_workers_alive", "echo-forking", null) >= 1
                                    && sample(scrape, "sockethost_connections_accepted_total", "echo-forking", null) == 1
                                    && sample(scrape, "sockethost_requests_total", "echo-udp", null) == 1
                                    && sample(scrape, "sockethost_refused_total", "echo-denied", "reason=\"rules\"") == 1;
                        });
                HttpResponse<String> metrics = get(admin, "/metrics");
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
                String scrape = metrics.body();
                assertThat(sample(scrape, "sockethost_bytes_received_total", "echo-tcp", null)).isEqualTo(3 * "hello 0\n".length());
                assertThat(sample(scrape, "sockethost_bytes_sent_total", "echo-udp", null)).isEqualTo("one datagram".length());
                assertThat(sample(scrape, "sockethost_connections_accepted_total", "echo-denied", null)).isZero();
                assertThat(sample(scrape, "sockethost_workers_started_total", "echo-forking", null)).isGreaterThanOrEqualTo(1);
                assertThat(sample(scrape, "sockethost_workers_crashed_total", "echo-forking", null)).isZero();
                long bundled;
                try (java.util.stream.Stream<Path> jars = Files.list(install.plugins())) {
                    bundled = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).count();
                }
                assertThat(scrape).containsPattern("(?m)^sockethost_plugins_loaded " + bundled + "(\\.0)?$")
                        .contains("jvm_threads_live_threads ");

                host.signal("TERM");
                assertThat(receive(systemd)).startsWith("STOPPING=1");
                assertThat(host.awaitExit(STOP)).as(host.transcript()).isZero();
            }
        }
    }

    /**
     * A running host's server can fail to bind only in a reload: a server that moves keeps its old socket when
     * the new address is taken (so health stays up), but one that must give up its address before it binds it
     * again (a changed configuration on the same fixed address) is left not listening when something else has
     * taken the address meanwhile. Here that something is a socket of the test's, listening with SO_REUSEPORT
     * beside the server while the server sets {@code reusePort} too; the reload turns {@code reusePort} off.
     */
    @Test
    void healthAnswers503NamingAServerThatCannotBindAgainAfterAReload() throws Exception {
        try (ServerSocketChannel thief = ServerSocketChannel.open(); ServerSocketChannel squatter = ServerSocketChannel.open()) {
            thief.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            thief.bind(new InetSocketAddress("127.0.0.1", 0));
            String taken = "127.0.0.1:" + ((InetSocketAddress) thief.getLocalAddress()).getPort();
            squatter.bind(new InetSocketAddress("127.0.0.1", 0));
            String occupied = "127.0.0.1:" + ((InetSocketAddress) squatter.getLocalAddress()).getPort();
            ObjectNode extra = StrictJson.MAPPER.createObjectNode();
            extra.putObject("echo-shared").put("from", "echo-tcp").put("address", taken).put("reusePort", true);
            install.writeTestOverrides("test", 10, extra);
            Files.writeString(install.conf().resolve("servers/admin.json"), "{\"host\": {\"admin\": {\"address\": \"127.0.0.1:0\"}}}");
            try (HostProcess host = HostProcess.start(install.launcher(), elsewhere, environment)) {
                Map<String, String> servers = awaitStarted(host);
                String admin = host.awaitLog(ADMIN, START).group(1);
                assertThat(get(admin, "/health").statusCode()).isEqualTo(200);

                // echo-tcp moves onto an occupied address; echo-shared must close its socket and bind anew without SO_REUSEPORT
                Path change = Files.writeString(install.conf().resolve("servers/zz-change.json"), "{\"servers\": {"
                        + "\"echo-tcp\": {\"address\": \"" + occupied + "\"}, \"echo-shared\": {\"reusePort\": false}}}");
                reload(host, 1);
                assertThat(host.stderr()).as(host.transcript())
                        .anyMatch(l -> l.contains("ERROR") && l.contains("server echo-tcp: cannot start with its new configuration, keeps its old one"))
                        .anyMatch(l -> l.contains("ERROR") && l.contains("server echo-shared: cannot start: "));
                HttpResponse<String> down = get(admin, "/health");
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                JsonNode report = StrictJson.MAPPER.readTree(down.body());
                assertThat(report.path("status").asText()).isEqualTo("down");
                Map<String, String> states = new LinkedHashMap<>();
                report.path("servers").forEach(s -> states.put(s.path("name").asText(), s.path("state").asText() + " " + s.path("address").asText()));
                assertThat(states).as(down.body()).containsEntry("echo-shared", "not started " + taken)
                        .containsEntry("echo-tcp", "listening " + servers.get("echo-tcp"));
                assertThat(EchoClients.tcp(inet(servers.get("echo-tcp")), "still at the old address\n")).isEqualTo("still at the old address\n");

                // once the address is free, a reload starts the server and health is up again
                thief.close();
                Files.delete(change);
                reload(host, 2);
                HttpResponse<String> up = get(admin, "/health");
                assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
                assertThat(up.body()).contains("{\"name\":\"echo-shared\",\"plugin\":\"echo\",\"transport\":\"tcp\",\"address\":\"" + taken
                        + "\",\"state\":\"listening\"}");
                assertThat(EchoClients.tcp(inet(taken), "bound again\n")).isEqualTo("bound again\n");
                stopWithSigterm(host);
            }
        }
    }

    /** Runs {@code bin/sockethost reload} and waits for the host's {@code nth} "reloaded" line. */
    private void reload(HostProcess host, int nth) throws IOException, InterruptedException {
        try (HostProcess reload = HostProcess.start(install.launcher(), elsewhere, environment, "reload")) {
            HostProcess.Finished done = reload.finish(START);
            assertThat(done.status()).as(done.toString()).isZero();
        }
        host.awaitLog(Pattern.compile("reloaded: \\d+ server\\(s\\) kept"), nth, START);
    }

    @Test
    void takesTheListeningSocketsSystemdPassesForEveryTransport() throws Exception {
        Path python = findOnPath("python3");
        assumeTrue(python != null, "python3 starts bin/sockethost with the sockets at descriptors 3 to 6");
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        Path run = install.home().resolve("run");
        Path stream = run.resolve("echo-stream.sock");
        Path datagram = run.resolve("echo-datagram.sock");
        // tcp and udp by name (LISTEN_FDNAMES), the Unix sockets by their address (no name)
        try (HostProcess host = HostProcess.start(python, elsewhere, environment, script().toString(),
                "echo-tcp=tcp:127.0.0.1", "echo-udp=udp:127.0.0.1", "=unix-stream:" + stream, "=unix-datagram:" + datagram,
                "--", install.launcher().toString(), "run")) {
            String tcpPassed = host.awaitLog(Pattern.compile("^bound echo-tcp (\\S+)$"), START).group(1);
            String udpPassed = host.awaitLog(Pattern.compile("^bound echo-udp (\\S+)$"), START).group(1);
            Map<String, String> servers = awaitStarted(host);
            assertThat(servers.get("echo-tcp")).as(host.transcript()).isEqualTo(tcpPassed);
            assertThat(servers.get("echo-udp")).as(host.transcript()).isEqualTo(udpPassed);
            for (String name : List.of("echo-tcp", "echo-udp", "echo-unix-stream", "echo-unix-datagram")) {
                assertThat(host.stderr()).as(host.transcript())
                        .anyMatch(line -> line.contains("server " + name + ": uses the") && line.contains("socket systemd passed"));
            }
            assertThat(host.stderr()).as("servers without a passed socket bind their own").noneMatch(line -> line.contains("server http-lite: uses"));

            assertThat(EchoClients.tcp(inet(tcpPassed), "over a passed tcp socket\n")).isEqualTo("over a passed tcp socket\n");
            assertThat(EchoClients.udp(inet(udpPassed), "over a passed udp socket")).isEqualTo("over a passed udp socket");
            assertThat(EchoClients.unixStream(stream, "over a passed unix stream\n")).isEqualTo("over a passed unix stream\n");
            assertThat(EchoClients.unixDatagram(datagram, temp.resolve("client.sock"), "over a passed unix datagram socket"))
                    .isEqualTo("over a passed unix datagram socket");

            stopWithSigterm(host);
        }
        assertThat(stream).as("socket files systemd made stay for the next start").exists();
        assertThat(datagram).as("socket files systemd made stay for the next start").exists();
    }

    @Test
    void theServiceUnitIsRatedAtMostTwoPointFiveBySystemdAnalyze() throws Exception {
        Path analyze = findOnPath("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze is not installed here");
        Path unit = install.conf().resolve("sockethost.service");
        assertThat(Files.readString(unit)).contains("Type=notify", "ExecReload=/opt/sockethost/bin/sockethost reload");
        assertThat(install.conf().resolve("sockethost.socket")).exists();
        Process process = new ProcessBuilder(analyze.toString(), "security", "--offline=yes", "--no-pager", unit.toString())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher level = Pattern.compile("Overall exposure level for sockethost\\.service: (\\d+\\.\\d+)").matcher(out);
        assertThat(level.find()).as(out).isTrue();
        assertThat(Double.parseDouble(level.group(1))).as(out).isLessThanOrEqualTo(2.5);
    }

    private static Path script() throws URISyntaxException {
        return Path.of(ObservabilityIT.class.getResource("listen-fds.py").toURI());
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
