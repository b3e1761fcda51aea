package io.sockethost.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import io.sockethost.launcher.fixture.FixtureEchoHandler;

/**
 * Writes a real plugin jar for the command tests: the compiled {@link FixtureEchoHandler}, its extension
 * index and a descriptor declaring two tcp servers on ephemeral loopback ports.
 */
final class FixturePlugin {
    static final String HANDLER = FixtureEchoHandler.class.getName();
    static final String DESCRIPTOR = """
            {
              "id": "fixture",
              "version": "2.0.0",
              "requires": ">=1.0.0",
              "description": "echo for the command tests",
              "servers": [
                {"name": "fixture-a", "handler": "%1$s", "transport": "tcp", "address": "127.0.0.1:0",
                 "timeout": 7, "settings": {"greeting": "hi", "unused": null}},
                {"name": "fixture-b", "handler": "%1$s", "transport": "tcp", "address": "127.0.0.1:0",
                 "concurrency": {"mode": "sync"}}
              ]
            }
            """.formatted(HANDLER);

    private FixturePlugin() {
    }

    static Path write(Path pluginsDir) throws IOException {
        Files.createDirectories(pluginsDir);
        Path jar = pluginsDir.resolve("fixture-plugin.jar");
        String classFile = HANDLER.replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream bytes = FixturePlugin.class.getClassLoader().getResourceAsStream(classFile)) {
            entry(out, "sockethost-plugin.json", DESCRIPTOR.getBytes(StandardCharsets.UTF_8));
            entry(out, "META-INF/extensions.idx", (HANDLER + "\n").getBytes(StandardCharsets.UTF_8));
            entry(out, classFile, bytes.readAllBytes());
        }
        return jar;
    }

    /**
     * The same handler as a plugin zip in PF4J's layout (descriptor at the root, {@code classes/}), as plugin
     * {@code zipped} with servers {@code zipped-a} and {@code zipped-b}.
     */
    static Path writeZip(Path pluginsDir) throws IOException {
        Files.createDirectories(pluginsDir);
        Path zip = pluginsDir.resolve("zipped-plugin.zip");
        String classFile = HANDLER.replace('.', '/') + ".class";
        String descriptor = DESCRIPTOR.replace("\"fixture\"", "\"zipped\"").replace("\"fixture-", "\"zipped-");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(zip));
             InputStream bytes = FixturePlugin.class.getClassLoader().getResourceAsStream(classFile)) {
            entry(out, "sockethost-plugin.json", descriptor.getBytes(StandardCharsets.UTF_8));
            entry(out, "classes/META-INF/extensions.idx", (HANDLER + "\n").getBytes(StandardCharsets.UTF_8));
            entry(out, "classes/" + classFile, bytes.readAllBytes());
        }
        return zip;
    }

    /** A file named like a plugin jar that is not a zip at all. */
    static Path writeCorrupt(Path pluginsDir) throws IOException {
        Files.createDirectories(pluginsDir);
        return Files.writeString(pluginsDir.resolve("corrupt.jar"), "this is not a zip file");
    }

    private static void entry(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
