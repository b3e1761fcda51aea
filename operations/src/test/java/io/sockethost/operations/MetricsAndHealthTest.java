package io.sockethost.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;
import io.sockethost.core.assembly.PluginParts;
import io.sockethost.core.assembly.ServerAssembly;
import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.config.StrictJson;
import io.sockethost.core.server.SocketServer;

/**
 * Real echo servers on loopback, observed by {@link HostMetrics}, scraped and health-checked through a real
 * {@link AdminServer}, and read through JMX ({@link MeterMBeans}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsAndHealthTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private final List<SocketServer> servers = new ArrayList<>();
    private final List<Thread> loops = new ArrayList<>();
    private final List<ServerConfig> configs = new ArrayList<>();
    private final HostMetrics metrics = new HostMetrics(() -> 2, () -> 1);
    private final MeterMBeans mbeans = new MeterMBeans(metrics.registry());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private AdminServer admin;

    /** Echoes every byte until the client closes. */
    public static final class Echo implements StreamHandler {
        @Override
        public void handle(StreamRequest request) throws IOException {
            request.input().transferTo(request.output());
        }
    }

    /** Fails every connection. */
    public static final class Failing implements StreamHandler {
        @Override
        public void handle(StreamRequest request) {
            throw new IllegalStateException("this handler always fails");
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (admin != null) {
            admin.close();
        }
        servers.forEach(s -> s.close(Duration.ZERO));
        for (Thread loop : loops) {
            loop.join(5000);
        }
        mbeans.close();
        metrics.close();
    }

    private ServerConfig config(String name, String extraJson) throws Exception {
        ObjectNode node = (ObjectNode) StrictJson.MAPPER.readTree("{\"transport\":\"tcp\",\"address\":\"127.0.0.1:0\"" + extraJson + "}");
        node.put("name", name).put("handler", "test.Handler");
        ServerConfigResolver resolver = new ServerConfigResolver(temp, Set.of("test"), ServerConfigResolver.PluginCheck.NONE);
        ServerConfig config = resolver.resolve(List.of(new PluginServers("test", "test.json",
                StrictJson.MAPPER.createArrayNode().add(node))), List.of()).get(0);
        configs.add(config);
        return config;
    }

    private SocketServer start(ServerConfig config, StreamHandler handler) throws IOException {
        SocketServer server = ServerAssembly.assemble(config, PluginParts.of(() -> handler, null, null));
        server.observe(metrics.eventsFor(config));
        server.open();
        servers.add(server);
        Thread loop = new Thread(server::serveForever, config.name() + "-loop");
        loop.start();
        loops.add(loop);
        return server;
    }

    private void startAdmin() throws IOException {
        admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), metrics::scrape, () -> Health.of(configs, servers));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String echo(SocketServer server, String text) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.boundAddress(), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sends and reads until the server closes; a reset is what a failed or refused connection may give. */
    private static void sendExpectingFailure(SocketServer server, String text) {
        try {
            echo(server, text);
        } catch (IOException e) {
            // the server closed the connection without reading: what a refusal or a failed handler may look like
        }
    }

    /** The value of the sample {@code name{...server="<server>"...}} in a scrape, or -1 if absent. */
    private static double sample(String scrape, String name, String server, String extraLabel) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains("server=\"" + server + "\"") && (extraLabel == null || m.group(1).contains(extraLabel))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    private static void await(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(5)).until(condition);
    }

    @Test
    void aConnectionTurnedAwayByAFullServerIsCountedAsBusyAndLeavesNoOpenConnectionBehind() throws Exception {
        SocketServer full = start(config("full", ",\"concurrency\":{\"maxWorkers\":1,\"virtualThreads\":false},"
                + "\"verify\":{\"maxConnectionsPerClient\":0}"), new Echo());
        try (Socket held = new Socket()) {
            held.connect(full.boundAddress(), 10_000);
            await(() -> full.activeRequests() == 1, "the held connection takes the only worker");
            sendExpectingFailure(full, "turned away");
            await(() -> sample(metrics.scrape(), "sockethost_refused_total", "full", "reason=\"busy\"") == 1
                    && sample(metrics.scrape(), "sockethost_connections_open", "full", null) == 1,
                    "one refusal for want of a worker, and only the held connection open");
        }
        await(() -> sample(metrics.scrape(), "sockethost_connections_open", "full", null) == 0, "nothing left open");
    }

    @Test
    void countersMoveWithTrafficAndTheScrapeIsPrometheusText() throws Exception {
        metrics.bindJvm();
        SocketServer echo = start(config("echo", ""), new Echo());
        SocketServer failing = start(config("failing", ""), new Failing());
        SocketServer denied = start(config("denied", ",\"verify\":{\"deny\":[\"127.0.0.1/32\"]}"), new Echo());
        startAdmin();

        for (int i = 0; i < 3; i++) {
            assertThat(echo(echo, "hello " + i)).isEqualTo("hello " + i);
        }
        sendExpectingFailure(failing, "boom");
        sendExpectingFailure(denied, "never served");

        await(() -> sample(metrics.scrape(), "sockethost_requests_total", "echo", null) == 3
                && sample(metrics.scrape(), "sockethost_handler_errors_total", "failing", null) == 1
                && sample(metrics.scrape(), "sockethost_refused_total", "denied", "reason=\"rules\"") == 1
                && sample(metrics.scrape(), "sockethost_connections_open", "echo", null) == 0, "the counts of the traffic sent");

        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue(AdminServer.METRICS_TYPE);
        String text = scrape.body();
        assertThat(sample(text, "sockethost_connections_accepted_total", "echo", null)).isEqualTo(3);
        assertThat(sample(text, "sockethost_bytes_received_total", "echo", null)).isEqualTo("hello 0hello 1hello 2".length());
        assertThat(sample(text, "sockethost_bytes_sent_total", "echo", null)).isEqualTo("hello 0hello 1hello 2".length());
        assertThat(sample(text, "sockethost_handler_duration_seconds_count", "echo", null)).isEqualTo(3);
        assertThat(sample(text, "sockethost_handler_duration_seconds_bucket", "echo", "le=\"300.0\"")).isEqualTo(3);
        assertThat(sample(text, "sockethost_refused_total", "denied", "reason=\"verify\"")).isZero();
        assertThat(sample(text, "sockethost_requests_total", "denied", null)).isZero();
        assertThat(text).contains("# TYPE sockethost_requests_total counter")
                .containsPattern("(?m)^sockethost_plugins_loaded 2(\\.0)?$")
                .containsPattern("(?m)^sockethost_plugins_skipped 1(\\.0)?$")
                .contains("jvm_memory_used_bytes{");

        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void theSameCountsAreMBeans() throws Exception {
        SocketServer echo = start(config("jmx-echo", ""), new Echo());
        echo(echo, "one");
        echo(echo, "two");
        ObjectName name = new ObjectName(MeterMBeans.DOMAIN + ":type=Metrics,name=sockethost.requests,plugin=test,"
                + "server=jmx-echo,transport=tcp");
        await(() -> {
            try {
                return ((Double) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "count")) == 2;
            } catch (javax.management.JMException e) {
                return false;
            }
        }, "MBean " + name + " counting two requests");
        mbeans.close();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isFalse();
    }

    @Test
    void healthIs200WhileEveryServerListensAnd503WithOneThatDoesNot() throws Exception {
        start(config("first", ""), new Echo());
        SocketServer second = start(config("second", ""), new Echo());
        config("off", ",\"enabled\":false");
        startAdmin();

        HttpResponse<String> up = get("/health");
        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode body = StrictJson.MAPPER.readTree(up.body());
        assertThat(body.path("status").asText()).isEqualTo("up");
        assertThat(body.path("servers")).hasSize(2); // the disabled one is not expected to listen
        assertThat(body.path("servers").get(1).path("name").asText()).isEqualTo("second");
        assertThat(body.path("servers").get(1).path("state").asText()).isEqualTo("listening");
        assertThat(body.path("servers").get(1).path("address").asText())
                .isEqualTo("127.0.0.1:" + ((InetSocketAddress) second.boundAddress()).getPort());

        second.close(Duration.ZERO);
        HttpResponse<String> down = get("/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode downBody = StrictJson.MAPPER.readTree(down.body());
        assertThat(downBody.path("status").asText()).isEqualTo("down");
        assertThat(downBody.path("servers").get(0).path("state").asText()).isEqualTo("listening");
        assertThat(downBody.path("servers").get(1).path("state").asText()).isEqualTo("stopped");
    }

    @Test
    void aStoppingHostIsNotHealthyWhileItsServersStillListen() throws Exception {
        start(config("draining", ""), new Echo());
        Health health = Health.of(configs, servers);
        assertThat(health.up()).isTrue();
        Health stopping = health.stopping();
        assertThat(stopping.up()).isFalse();
        assertThat(stopping.servers()).singleElement().extracting(Health.ServerHealth::state).isEqualTo("stopping");
        assertThat(stopping.toJson()).contains("\"status\":\"down\"");
    }

    @Test
    void aServerNeverStartedIsNotHealthy() throws Exception {
        config("never", "");
        Health health = Health.of(configs, List.of());
        assertThat(health.up()).isFalse();
        assertThat(health.servers()).singleElement().extracting(Health.ServerHealth::state).isEqualTo("not started");
    }
}
