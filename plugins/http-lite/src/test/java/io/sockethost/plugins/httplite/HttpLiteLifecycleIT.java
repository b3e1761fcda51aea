package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.core.config.ConfigException;
import io.sockethost.testkit.PluginHost;

/** http-lite's server lifecycle in a real host: settings checked before binding, per-server state. */
@Timeout(60)
class HttpLiteLifecycleIT {
    private static final Path JAR = Path.of(System.getProperty("plugin.jar"));

    @Test
    void aRootThatDoesNotExistOrATypoStopsTheHostBeforeItBinds() {
        assertThatThrownBy(() -> PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"http-lite\": {\"settings\": {\"root\": \"no/such/folder\", \"indexFiel\": \"x\"}}}}")
                .start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("servers.http-lite.settings.indexFiel: unknown field \"indexFiel\"");
        assertThatThrownBy(() -> PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"http-lite\": {\"settings\": {\"root\": \"no/such/folder\"}}}}").start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("servers.http-lite.settings.root: folder ")
                .hasMessageContaining("no/such/folder does not exist");
    }

    @Test
    void aDisabledServerIsNotHeldToItsRootButStillToItsSettingsTypes() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"http-lite\": {\"enabled\": false, \"settings\": {\"root\": \"no/such/folder\"}}}}")
                .start()) {
            assertThat(host.host().servers()).isEmpty();
        }
        assertThatThrownBy(() -> PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"http-lite\": {\"enabled\": false, \"settings\": {\"indexFiel\": \"x\"}}}}").start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("settings.indexFiel");
    }

    @Test
    void twoServersOfThePluginKeepTheirOwnStateAndServeTheirOwnRoots() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(JAR)
                .file("www/index.html", "first".getBytes(StandardCharsets.UTF_8))
                .file("other/index.html", "second".getBytes(StandardCharsets.UTF_8))
                .override("{\"servers\": {\"http-lite-2\": {\"from\": \"http-lite\", \"address\": \"127.0.0.1:0\","
                        + " \"settings\": {\"root\": \"other\"}}}}")
                .start()) {
            assertThat(get(host, "http-lite")).isEqualTo("first");
            assertThat(get(host, "http-lite-2")).isEqualTo("second");
            assertThat(get(host, "http-lite")).as("the kept copy is the first server's").isEqualTo("first");
            assertThat(get(host, "http-lite-2")).as("the kept copy is the second server's").isEqualTo("second");
        }
    }

    @Test
    void aFullServerAnswers503AndClosesInsteadOfLeavingTheClientWaiting() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(JAR)
                .file("www/index.html", "hello".getBytes(StandardCharsets.UTF_8))
                .override("{\"servers\": {\"http-lite\": {\"concurrency\": {\"maxWorkers\": 2, \"virtualThreads\": false},"
                        + " \"verify\": {\"maxConnectionsPerClient\": 0}}}}")
                .start();
             java.net.Socket first = new java.net.Socket("127.0.0.1", host.inetAddress("http-lite").getPort());
             java.net.Socket second = new java.net.Socket("127.0.0.1", host.inetAddress("http-lite").getPort())) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (host.server("http-lite").activeRequests() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(host.server("http-lite").activeRequests()).as("both idle connections hold a worker").isEqualTo(2);
            try (java.net.Socket third = new java.net.Socket("127.0.0.1", host.inetAddress("http-lite").getPort())) {
                third.setSoTimeout(5_000);
                // read before writing: the answer comes as the connection is accepted, and a request arriving
                // after the close would only make the kernel reset the connection
                String answer = new String(third.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Retry-After: 1");
            }
        }
    }

    private static String get(PluginHost host, String server) throws Exception {
        var address = host.inetAddress(server);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + address.getPort() + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
