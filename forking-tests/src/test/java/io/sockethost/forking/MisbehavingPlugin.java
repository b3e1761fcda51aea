package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.sockethost.testkit.PluginHost;

/** The misbehaving test plugin's real jar, built by the reactor, and hosts that load it. */
final class MisbehavingPlugin {
    static final String TCP = "misbehaving";
    static final String UNIX = "misbehaving-unix";

    private MisbehavingPlugin() {
    }

    static Path jar() {
        String path = System.getProperty("misbehaving.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("system property misbehaving.jar must name the built test plugin jar, was " + path);
        }
        return Path.of(path);
    }

    /**
     * Starts an in-process host with the plugin on ephemeral addresses.
     *
     * @param overrides operator override files, in the format of {@code conf/sockethost.json}
     */
    static PluginHost host(String... overrides) throws Exception {
        PluginHost.Builder builder = PluginHost.builder().plugin(jar());
        for (String override : overrides) {
            builder.override(override);
        }
        return builder.start();
    }

    /** Stops a host (if it started) and checks that none of its workers outlived it. */
    static void stop(PluginHost host) {
        if (host != null) {
            host.close();
        }
        assertThat(Workers.ofThisJvm()).as("workers alive after the host stopped").isEmpty();
    }

    /** An override of the tcp server's concurrency block, e.g. {@code "maxChildren": 1}. */
    static String concurrency(String fields) {
        return "{\"servers\": {\"" + TCP + "\": {\"concurrency\": {" + fields + "}}}}";
    }
}
