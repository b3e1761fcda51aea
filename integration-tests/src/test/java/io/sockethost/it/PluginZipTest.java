package io.sockethost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.plugin.LoadedPlugin;
import io.sockethost.core.plugin.PluginFailure;
import io.sockethost.testkit.PluginHost;

/**
 * Plugin zips in PF4J's layout ({@code sockethost-plugin.json}, {@code classes/}, {@code lib/}), built by
 * {@code test-plugins/zips}, in a real host: each plugin sees the libraries it carries and no one else's,
 * whatever the host has; anything in the plugins folder that is not a plugin is reported, not ignored.
 */
@Timeout(60)
class PluginZipTest {
    static final Path BUILT = Path.of(System.getProperty("test.plugins"));
    static final Path GSON_OLD = BUILT.resolve("test-plugin-zips-gson-old.zip");
    static final Path GSON_NEW = BUILT.resolve("test-plugin-zips-gson-new.zip");
    static final Path JACKSON = BUILT.resolve("test-plugin-zips-jackson.zip");

    @TempDir
    Path dir;

    /** What a version-reporting handler answers to a connection. */
    static String ask(PluginHost host, String server) throws IOException {
        return EchoJars.echo(host.inetAddress(server), "").strip();
    }

    @Test
    void aPluginZipServesWithALibraryTheHostLacks() throws Exception {
        assertThatThrownBy(() -> Class.forName("com.google.gson.Gson")).isInstanceOf(ClassNotFoundException.class);
        try (PluginHost host = PluginHost.builder().plugin(GSON_OLD).start()) {
            assertThat(host.host().plugins().failures()).isEmpty();
            assertThat(host.host().plugins().plugins()).singleElement()
                    .satisfies(p -> assertThat(p.path().getFileName()).hasToString("test-plugin-zips-gson-old.zip"));
            assertThat(ask(host, "gson-old")).isEqualTo("{\"library\":\"gson-2.10.1.jar\"}");
        }
    }

    @Test
    void aPluginZipUsesTheJacksonItCarriesNotTheHosts() throws Exception {
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()).isNotEqualTo("2.18.2");
        try (PluginHost host = PluginHost.builder().plugin(JACKSON).start()) {
            assertThat(ask(host, "jackson")).isEqualTo("{\"jackson\":\"2.18.2\"}");
        }
    }

    @Test
    void twoPluginsWithConflictingVersionsOfALibraryServeSideBySide() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(GSON_OLD).plugin(GSON_NEW).start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(ask(host, "gson-old")).isEqualTo("{\"library\":\"gson-2.10.1.jar\"}");
                assertThat(ask(host, "gson-new")).isEqualTo("{\"library\":\"gson-2.13.2.jar\"}");
            }
        }
    }

    @Test
    void aForkingWorkerLoadsTheUnpackedZipWithItsLibraries() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(GSON_OLD)
                .override("{\"servers\": {\"gson-old\": {\"concurrency\": {\"mode\": \"forking\", \"maxChildren\": 1}}}}")
                .start()) {
            assertThat(ask(host, "gson-old")).isEqualTo("{\"library\":\"gson-2.10.1.jar\"}");
        }
    }

    @Test
    void aZipIsUnpackedOutsideThePluginsFolderForAsLongAsItsPluginIsLoaded() throws Exception {
        Path unpacked;
        try (PluginHost host = PluginHost.builder().plugin(GSON_OLD).start()) {
            unpacked = host.host().plugins().codePath("gson-old");
            assertThat(unpacked).isDirectory();
            assertThat(unpacked.startsWith(host.home())).as("unpacked inside the home").isFalse();
            assertThat(unpacked.resolve("lib/gson-2.10.1.jar")).isRegularFile();
            try (var entries = Files.list(host.home().resolve("plugins"))) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("test-plugin-zips-gson-old.zip");
            }
        }
        assertThat(unpacked).doesNotExist();
    }

    @Test
    void aReplacedZipIsUnpackedAfreshAndServedAfterAReload() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(GSON_OLD).start()) {
            Path before = host.host().plugins().codePath("gson-old");
            assertThat(ask(host, "gson-old")).isEqualTo("{\"library\":\"gson-2.10.1.jar\"}");

            // the same plugin, now carrying the newer Gson
            Path replacement = rebuild(dir.resolve("replacement.zip"), GSON_OLD, e -> !e.startsWith("lib/"),
                    GSON_NEW, e -> e.startsWith("lib/"));
            Files.copy(replacement, host.home().resolve("plugins/test-plugin-zips-gson-old.zip"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(host.host().reload()).isTrue();

            assertThat(ask(host, "gson-old")).isEqualTo("{\"library\":\"gson-2.13.2.jar\"}");
            assertThat(host.host().plugins().codePath("gson-old")).isNotEqualTo(before).isDirectory();
            assertThat(before).doesNotExist();
        }
    }

    @Test
    void aZipWhoseLibrariesCarryTheApiIsRefused() throws Exception {
        Path api = dir.resolve("api.jar");
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(api))) {
            jar.putNextEntry(new ZipEntry("io/sockethost/api/StreamHandler.class"));
            jar.closeEntry();
        }
        Path bundling = rebuild(dir.resolve("bundling.zip"), GSON_OLD, e -> true, null, e -> false);
        addEntry(bundling, "lib/server-api.jar", Files.readAllBytes(api));
        try (PluginHost host = PluginHost.builder().plugin(bundling).plugin(EchoJars.ECHO).start()) {
            assertThat(host.host().plugins().failures()).singleElement().satisfies(f -> {
                assertThat(f.pluginId()).isEqualTo("gson-old");
                assertThat(f.reason()).contains("bundles sockethost API classes").contains("lib/server-api.jar")
                        .contains("<scope>provided</scope>");
            });
            assertThat(EchoJars.echo(host.inetAddress("echo-tcp"), "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    void anythingElseInThePluginsFolderIsReportedWithItsReason() throws Exception {
        Path noDescriptor = rebuild(dir.resolve("plain.zip"), GSON_OLD, e -> !e.equals("sockethost-plugin.json"), null, e -> false);
        try (PluginHost host = PluginHost.builder().plugin(EchoJars.ECHO).plugin(noDescriptor)
                .file("plugins/notes.txt", "an operator's notes".getBytes(StandardCharsets.UTF_8))
                .file("plugins/gson/classes/README", new byte[0])
                .file("plugins/gson.zip", Files.readAllBytes(GSON_OLD))
                .file("plugins/disabled.txt", new byte[0])
                .start()) {
            assertThat(host.host().plugins().plugins()).extracting(LoadedPlugin::id).containsExactlyInAnyOrder("echo", "gson-old");
            assertThat(host.host().plugins().failures())
                    .extracting(f -> f.path().getFileName().toString(), PluginFailure::reason)
                    .containsExactly(
                            Tuple.tuple("gson", "not a plugin: a folder (an unpacked copy of gson.zip? the host unpacks "
                                    + "plugin zips itself, elsewhere); plugins are *.jar or *.zip files, so remove it or "
                                    + "move it out of the plugins folder"),
                            Tuple.tuple("notes.txt", "not a plugin: plugins are *.jar or *.zip files (a plugin zip holds "
                                    + "sockethost-plugin.json, classes/ and lib/); remove it or move it out of the plugins folder"),
                            Tuple.tuple("plain.zip", "not a sockethost plugin: no sockethost-plugin.json at the zip's root"));
            assertThat(EchoJars.echo(host.inetAddress("echo-tcp"), "still serving")).isEqualTo("still serving");
            assertThat(ask(host, "gson-old")).isEqualTo("{\"library\":\"gson-2.10.1.jar\"}");
        }
    }

    /** A zip of the entries of {@code first} that {@code keepFirst} accepts, then those of {@code second}. */
    static Path rebuild(Path out, Path first, Predicate<String> keepFirst, Path second, Predicate<String> keepSecond)
            throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            copy(first, keepFirst, zip);
            if (second != null) {
                copy(second, keepSecond, zip);
            }
        }
        return out;
    }

    private static void copy(Path from, Predicate<String> keep, ZipOutputStream to) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile())) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                if (keep.test(entry.getName()) && !entry.isDirectory()) {
                    try (InputStream data = in.getInputStream(entry)) {
                        to.putNextEntry(new ZipEntry(entry.getName()));
                        data.transferTo(to);
                        to.closeEntry();
                    }
                }
            }
        }
    }

    private static void addEntry(Path zipFile, String name, byte[] content) throws IOException {
        try (var fs = java.nio.file.FileSystems.newFileSystem(zipFile, Map.of())) {
            Path target = fs.getPath(name);
            Files.createDirectories(target.getParent());
            Files.write(target, content);
        }
    }
}
