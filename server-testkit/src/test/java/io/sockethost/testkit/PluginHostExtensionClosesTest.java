package io.sockethost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.Map;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

import io.sockethost.testkit.probe.ProbeHandler;

/**
 * {@link WithPluginHost}'s host lives as long as its test class: JUnit closes it through the extension store
 * (as an {@link AutoCloseable}, not the deprecated {@code CloseableResource}) once the class has run. Runs a
 * test class through JUnit's own engine and looks at what it left.
 */
@Timeout(60)
class PluginHostExtensionClosesTest {
    private static final String JAR_PROPERTY = "testkit.probe.jar";

    /** Run only through {@link EngineTestKit} below, which sets the property: it records the host it got. */
    @WithPluginHost(plugins = "${" + JAR_PROPERTY + "}")
    @EnabledIfSystemProperty(named = JAR_PROPERTY, matches = ".+")
    static class Probe {
        static volatile PluginHost seen;
        static volatile InetSocketAddress address;

        @Test
        void getsAStartedHost(PluginHost host) {
            seen = host;
            address = host.inetAddress("probe");
            assertThat(host.home()).isDirectory();
        }
    }

    @Test
    void theHostIsStoppedAndItsFolderDeletedAfterTheTestClass(@TempDir Path dir) throws IOException {
        Path jar = writeProbePlugin(dir.resolve("probe-plugin.jar"));
        System.setProperty(JAR_PROPERTY, jar.toString());
        try {
            EngineTestKit.engine("junit-jupiter").selectors(selectClass(Probe.class)).execute()
                    .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        } finally {
            System.clearProperty(JAR_PROPERTY);
        }
        assertThat(Probe.seen).as("the probe ran").isNotNull();
        assertThat(Probe.seen.home()).as("close() deletes the host's folder").doesNotExist();
        try (Socket socket = new Socket()) {
            assertThat(canConnect(socket, Probe.address)).as("the probe server no longer listens").isFalse();
        }
    }

    private static boolean canConnect(Socket socket, InetSocketAddress address) {
        try {
            socket.connect(address, 5_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A real plugin jar: a descriptor with one tcp server, the extension index and the handler's class. */
    private static Path writeProbePlugin(Path jar) throws IOException {
        String handler = ProbeHandler.class.getName();
        String descriptor = """
                {"id": "probe", "version": "1.0.0", "requires": ">=1.0.0", "description": "closes with its test class",
                 "servers": [{"name": "probe", "handler": "%s", "transport": "tcp", "address": "127.0.0.1:0"}]}
                """.formatted(handler);
        String classFile = handler.replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream handlerClass = ProbeHandler.class.getClassLoader().getResourceAsStream(classFile)) {
            for (var entry : Map.of("sockethost-plugin.json", descriptor.getBytes(StandardCharsets.UTF_8),
                    "META-INF/extensions.idx", (handler + "\n").getBytes(StandardCharsets.UTF_8),
                    classFile, handlerClass.readAllBytes()).entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }
}
