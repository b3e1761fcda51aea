package io.sockethost.distribution;

import static io.sockethost.distribution.DistributionIT.START;
import static io.sockethost.distribution.DistributionIT.STOP;
import static io.sockethost.distribution.DistributionIT.awaitStarted;
import static io.sockethost.distribution.DistributionIT.stopWithSigterm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.DistributionIT.Announced;

/**
 * Two hosts behind a real HAProxy, configured by the distribution's own {@code examples/load-balancer/haproxy.cfg}
 * (only the addresses replaced) and {@code behind-proxy.json} (HAProxy's loopback address trusted): echo and
 * http-lite are driven through HAProxy, the PROXY protocol v2 header gives the hosts the test's own client
 * address, and while one host is stopped with SIGTERM every request is answered: the draining host finishes
 * its requests, HAProxy's check of its {@code /health} takes it out, and the other host serves.
 *
 * <p>Needs {@code haproxy} on the PATH ({@code apt-get install haproxy}); without it the test is skipped and
 * says so. CI installs nothing, so there it is skipped.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher, and sends signals with kill")
class HaproxyIT extends InstalledDistribution {
    private static final Path HAPROXY = onPath("haproxy");
    /** The example's backends, and the bundled server each forwards to. */
    private static final Map<String, String> BACKENDS = Map.of("echo", "echo-tcp", "http-lite", "http-lite");
    private static final Pattern SECTION = Pattern.compile("^(frontend|backend|global|defaults|listen)\\b\\s*(\\S*)");
    private static final Pattern BIND = Pattern.compile("^(\\s*bind\\s+)\\S+(.*)$");
    private static final Pattern SERVER = Pattern.compile("^(\\s*server\\s+host([12])\\s+)\\S+(.*\\bport\\s+)\\d+(.*)$");

    @BeforeAll
    static void needsHaproxy() {
        String why = "HaproxyIT skipped: haproxy is not installed (apt-get install haproxy); this test runs two hosts"
                + " behind a real HAProxy, and CI installs nothing";
        if (HAPROXY == null) {
            System.out.println(why); // the build's output names the reason, not only the test report
        }
        assumeTrue(HAPROXY != null, why);
    }

    @Test
    void twoHostsBehindHaproxyAnswerEveryRequestWhileOneStops() throws Exception {
        Installation second = Installation.unzip(Path.of(System.getProperty("distribution.zip")),
                System.getProperty("distribution.name"), temp.resolve("second host"));
        List<Installation> installs = List.of(install, second);
        for (Installation each : installs) {
            each.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
            AdminListener.enable(each);
            behindProxy(each);
        }
        List<HostProcess> hosts = new ArrayList<>();
        try (HostProcess first = start();
             HostProcess other = HostProcess.start(second.launcher(), elsewhere, environment)) {
            hosts.add(first);
            hosts.add(other);
            List<Map<String, Announced>> servers = List.of(awaitStarted(first), awaitStarted(other));
            List<AdminListener> admins = List.of(AdminListener.of(first), AdminListener.of(other));
            for (HostProcess host : hosts) {
                assertThat(host.stderr()).as("the PROXY protocol is on").noneMatch(l -> l.contains("unknown field \"proxyProtocol\""));
            }

            InetSocketAddress echo = new InetSocketAddress("127.0.0.1", freePort());
            InetSocketAddress http = new InetSocketAddress("127.0.0.1", freePort());
            Path cfg = haproxyConfig(Map.of("echo", echo.getPort(), "http-lite", http.getPort()), servers, admins);
            try (HostProcess check = HostProcess.start(HAPROXY, elsewhere, Map.of(), "-c", "-f", cfg.toString())) {
                HostProcess.Finished checked = check.finish(DistributionIT.QUICK_COMMAND);
                assertThat(checked.status()).as("haproxy -c on the example with the test's addresses\n%s", check.transcript()).isZero();
            }
            try (HostProcess haproxy = HostProcess.start(HAPROXY, elsewhere, Map.of(), "-db", "-f", cfg.toString())) {
                // The PROXY v2 header carries the client: the host that served logs the test's own port.
                await("http-lite through HAProxy").atMost(START).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> httpGet(http).startsWith("HTTP/1.1 200 "));
                int clientPort;
                try (Socket client = new Socket()) {
                    client.bind(new InetSocketAddress("127.0.0.1", 0));
                    clientPort = client.getLocalPort();
                    assertThat(httpGet(client, http)).startsWith("HTTP/1.1 200 ");
                }
                String accessLine = "http-lite 127.0.0.1:" + clientPort + " \"GET / HTTP/1.0\" 200";
                await("the access log names the client behind HAProxy").atMost(START).pollInterval(Duration.ofMillis(100))
                        .until(() -> hosts.stream().anyMatch(h -> h.stderr().stream().anyMatch(l -> l.contains(accessLine))));

                List<Long> cuts = new CopyOnWriteArrayList<>();
                try (RepeatedExchanges echoes = new RepeatedExchanges("echo", n -> {
                         String sent = "echo " + n + "\n";
                         String answer = RepeatedExchanges.retriedOnceIfCut(() -> EchoClients.tcpLeavingNoTimeWait(echo, sent), cuts);
                         return answer.equals(sent) ? null : "answered \"" + answer + "\" to \"" + sent.strip() + "\"";
                     });
                     RepeatedExchanges pages = new RepeatedExchanges("http-lite", n -> {
                         String answer = RepeatedExchanges.retriedOnceIfCut(() -> httpGet(http), cuts);
                         return answer.startsWith("HTTP/1.1 200 ") ? null : "answered \"" + answer.lines().findFirst().orElse("") + "\"";
                     })) {
                    await("HAProxy sends to both hosts").atMost(START).pollInterval(Duration.ofMillis(200)).until(() ->
                            admins.get(0).sample("sockethost_connections_accepted_total", "echo-tcp") > 0
                                    && admins.get(1).sample("sockethost_connections_accepted_total", "echo-tcp") > 0
                                    && admins.get(0).sample("sockethost_connections_accepted_total", "http-lite") > 0
                                    && admins.get(1).sample("sockethost_connections_accepted_total", "http-lite") > 0);

                    long sigterm = System.nanoTime();
                    stopWithSigterm(first);
                    long exited = System.nanoTime();
                    await("HAProxy takes the stopped host out").atMost(START).pollInterval(Duration.ofMillis(200))
                            .until(() -> haproxy.transcript().contains("echo/host1 is DOWN")
                                    && haproxy.transcript().contains("http-lite/host1 is DOWN"));
                    int echoesAtStop = echoes.done();
                    int pagesAtStop = pages.done();
                    await("the other host serves on alone").atMost(START).pollInterval(Duration.ofMillis(100))
                            .until(() -> echoes.done() >= echoesAtStop + 100 && pages.done() >= pagesAtStop + 100);
                    echoes.stop();
                    pages.stop();
                    assertThat(echoes.failures()).as("%s\n%s", echoes, haproxy.transcript()).isEmpty();
                    assertThat(pages.failures()).as("%s\n%s", pages, haproxy.transcript()).isEmpty();
                    assertThat(cuts).as("when connections were cut, against the stop's window")
                            .allSatisfy(at -> assertThat(at).isBetween(sigterm, exited));
                    System.out.printf("HaproxyIT: %d echo and %d http-lite requests answered; %d connection(s) cut during the stop"
                            + " and tried again%n", echoes.done(), pages.done(), cuts.size());
                }
                haproxy.signal("TERM");
                haproxy.awaitExit(STOP);
            }
            stopWithSigterm(other);
        }
    }

    /**
     * {@code conf/servers/zz-behind-proxy.json}: the shipped example with every server on a free loopback port and
     * HAProxy's address (loopback) trusted; its host block (the admin address for remote checks) is left out,
     * the test's own admin.json puts the admin listener on a free loopback port.
     */
    private static void behindProxy(Installation install) throws IOException {
        JsonNode example = StrictJson.MAPPER.readTree(install.home().resolve("examples/load-balancer/behind-proxy.json").toFile());
        ObjectNode servers = (ObjectNode) example.path("servers").deepCopy();
        assertThat(servers.properties()).as("the servers the example balances")
                .extracting(Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(BACKENDS.values());
        servers.properties().forEach(e -> {
            ObjectNode server = (ObjectNode) e.getValue();
            server.put("address", "127.0.0.1:0");
            assertThat(server.path("proxyProtocol").path("trusted").isArray()).as(e.getKey() + ".proxyProtocol.trusted").isTrue();
            server.putObject("proxyProtocol").putArray("trusted").add("127.0.0.1/32");
        });
        ObjectNode conf = StrictJson.MAPPER.createObjectNode();
        conf.set("servers", servers);
        Files.writeString(install.conf().resolve("servers/zz-behind-proxy.json"), conf.toPrettyString());
    }

    /**
     * The shipped haproxy.cfg with each frontend bound to its loopback port, and each backend's host1 and host2
     * pointed at the two hosts' servers and admin listeners; everything else as shipped.
     */
    private Path haproxyConfig(Map<String, Integer> frontends, List<Map<String, Announced>> servers, List<AdminListener> admins)
            throws IOException {
        String shipped = Files.readString(install.home().resolve("examples/load-balancer/haproxy.cfg"));
        StringBuilder out = new StringBuilder();
        String section = "";
        int binds = 0;
        int serverLines = 0;
        for (String line : shipped.lines().toList()) {
            Matcher m = SECTION.matcher(line);
            if (m.find()) {
                section = m.group(1) + " " + m.group(2);
            }
            Matcher bind = BIND.matcher(line);
            Matcher server = SERVER.matcher(line);
            if (bind.matches() && section.startsWith("frontend ")) {
                Integer port = frontends.get(section.substring("frontend ".length()));
                assertThat(port).as("a port for " + section).isNotNull();
                line = bind.group(1) + "127.0.0.1:" + port + bind.group(2);
                binds++;
            } else if (server.matches() && section.startsWith("backend ")) {
                String sockethostServer = BACKENDS.get(section.substring("backend ".length()));
                assertThat(sockethostServer).as("the sockethost server of " + section).isNotNull();
                int host = Integer.parseInt(server.group(2)) - 1;
                String admin = admins.get(host).address();
                line = server.group(1) + servers.get(host).get(sockethostServer).address() + server.group(3)
                        + admin.substring(admin.lastIndexOf(':') + 1) + server.group(4);
                serverLines++;
            }
            out.append(line).append('\n');
        }
        assertThat(binds).as("frontends in the example").isEqualTo(frontends.size());
        assertThat(serverLines).as("servers in the example: host1 and host2 per backend").isEqualTo(2 * BACKENDS.size());
        return Files.writeString(temp.resolve("haproxy.cfg"), out);
    }

    /** On a socket that leaves no TIME_WAIT behind (see {@link EchoClients#tcpLeavingNoTimeWait}). */
    private static String httpGet(InetSocketAddress http) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            return httpGet(socket, http);
        }
    }

    /** {@code GET / HTTP/1.0} on a socket not yet connected; returns the whole response. */
    private static String httpGet(Socket socket, InetSocketAddress http) throws IOException {
        socket.connect(http, EchoClients.TIMEOUT_MILLIS);
        socket.setSoTimeout(EchoClients.TIMEOUT_MILLIS);
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.0\r\nHost: sockethost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The executable {@code name} in a folder of PATH (or /usr/sbin, where Debian puts haproxy), or null. */
    private static Path onPath(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
