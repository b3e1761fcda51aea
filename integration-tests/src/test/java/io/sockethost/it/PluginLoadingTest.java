package io.sockethost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.plugin.PluginFailure;
import io.sockethost.testkit.PluginHost;

/**
 * Loading real plugin jars: one broken or incompatible jar is reported and skipped while the others
 * serve; a descriptor naming a handler the plugin lacks stops the host with a precise message.
 */
@Timeout(60)
class PluginLoadingTest {
    static final Path ECHO = EchoJars.ECHO;

    @TempDir
    Path dir;

    Path variant(String fileName, UnaryOperator<String> descriptor, Map<String, byte[]> extraEntries, String... dropEntries)
            throws IOException {
        return EchoJars.variant(dir.resolve(fileName), descriptor, extraEntries, dropEntries);
    }

    static String renamed(String json, String id) {
        return EchoJars.renamed(json, id);
    }

    static String echo(InetSocketAddress address, String text) throws IOException {
        return EchoJars.echo(address, text);
    }

    @Test
    void aCorruptJarIsSkippedWithItsErrorWhileTheOthersServe() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.jar"), "this is not a zip".getBytes(StandardCharsets.UTF_8));
        Path noDescriptor = variant("plain.jar", d -> d, Map.of(), "sockethost-plugin.json");
        try (PluginHost host = PluginHost.builder().plugin(ECHO).plugin(corrupt).plugin(noDescriptor).start()) {
            assertThat(echo(host.inetAddress("echo-tcp"), "still serving")).isEqualTo("still serving");
            assertThat(host.host().plugins().failures()).extracting(f -> f.path().getFileName().toString(), PluginFailure::reason)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("corrupt.jar", "not a readable jar (zip END header not found)"),
                            org.assertj.core.groups.Tuple.tuple("plain.jar", "not a sockethost plugin: no sockethost-plugin.json at the jar's root"));
        }
    }

    @Test
    void aPluginRequiringAnotherHostVersionIsRefusedNamingBothVersions() throws Exception {
        Path future = variant("future.jar", d -> renamed(d, "future").replace(">=1.0.0 & <2.0.0", ">=2.0.0"), Map.of());
        try (PluginHost host = PluginHost.builder().plugin(ECHO).plugin(future).start()) {
            assertThat(host.host().plugins().failures()).singleElement().satisfies(f ->
                    assertThat(f.reason()).contains("\"future\"").contains("requires sockethost \">=2.0.0\"")
                            .contains("this host is 1.0.0"));
            assertThat(echo(host.inetAddress("echo-tcp"), "ok")).isEqualTo("ok");
        }
    }

    @Test
    void aJarWithoutAnExtensionIndexIsRefusedWithTheFix() throws Exception {
        Path noIndex = variant("noindex.jar", d -> renamed(d, "noindex"), Map.of(), "META-INF/extensions.idx");
        try (PluginHost host = PluginHost.builder().plugin(ECHO).plugin(noIndex).start()) {
            assertThat(host.host().plugins().failures()).singleElement().satisfies(f ->
                    assertThat(f.reason()).contains("META-INF/extensions.idx").contains("@org.pf4j.Extension"));
        }
    }

    @Test
    void aJarBundlingTheApiIsRefused() throws Exception {
        Path bundling = variant("bundling.jar", d -> renamed(d, "bundling"),
                Map.of("io/sockethost/api/StreamHandler.class", new byte[] {(byte) 0xca, (byte) 0xfe}));
        try (PluginHost host = PluginHost.builder().plugin(ECHO).plugin(bundling).start()) {
            assertThat(host.host().plugins().failures()).singleElement().satisfies(f ->
                    assertThat(f.reason()).contains("bundles sockethost API classes").contains("provided"));
        }
    }

    @Test
    void aMalformedDescriptorNamesTheJarEntryAndTheField() throws Exception {
        Path typo = variant("typo.jar", d -> renamed(d, "typo").replace("\"license\"", "\"licence\""), Map.of());
        try (PluginHost host = PluginHost.builder().plugin(typo).plugin(ECHO).start()) {
            assertThat(host.host().plugins().failures()).singleElement().satisfies(f ->
                    assertThat(f.reason()).contains("typo.jar!/sockethost-plugin.json").contains("licence")
                            .contains("allowed fields"));
        }
    }

    @Test
    void aHandlerClassMissingFromThePluginStopsTheHostWithFileAndPath() throws Exception {
        Path wrong = variant("wrong.jar", d -> renamed(d, "wrong").replace("EchoStreamHandler", "NoSuchHandler"), Map.of());
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PluginHost.builder().plugin(wrong).start());
        // both stream servers of the renamed echo name the missing class; each problem names its own entry
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("servers[0].handler", "servers[2].handler");
        assertThat(e.problems().get(0)).satisfies(p -> {
            assertThat(p.file()).endsWith("wrong.jar!/sockethost-plugin.json");
            assertThat(p.message()).contains("io.sockethost.plugins.echo.NoSuchHandler is not in plugin \"wrong\"");
        });
    }

    @Test
    void aStreamTransportNamingADatagramHandlerIsRefused() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PluginHost.builder().plugin(ECHO)
                .override("{\"servers\": {\"echo-udp\": {\"transport\": \"tcp\", \"address\": \"127.0.0.1:0\"}}}").start());
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("plugin-echo.jar!/sockethost-plugin.json");
            assertThat(p.path()).isEqualTo("servers[1].handler");
            assertThat(p.message()).contains("does not implement io.sockethost.api.StreamHandler");
        });
    }

    @Test
    void twoPluginsWithTheSameIdKeepTheFirst() throws Exception {
        Path copy = variant("zz-echo-copy.jar", d -> d, Map.of());
        try (PluginHost host = PluginHost.builder().plugin(ECHO).plugin(copy).start()) {
            assertThat(host.host().plugins().plugins()).hasSize(1);
            assertThat(host.host().plugins().failures()).singleElement().satisfies(f ->
                    assertThat(f.reason()).contains("same id"));
        }
    }
}
