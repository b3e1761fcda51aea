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

    private static String get(PluginHost host, String server) throws Exception {
        var address = host.inetAddress(server);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + address.getPort() + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
