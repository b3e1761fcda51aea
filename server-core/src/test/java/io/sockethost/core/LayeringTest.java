package io.sockethost.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's packages form layers, from the bottom: config; events (what servers report); plugin,
 * concurrency, activation (sockets a service manager passed), tls (keys and certificates) and proxy (the
 * PROXY protocol's header); forking and server; assembly; host and worker. A package imports only from its own
 * layer's package or from lower layers,
 * and two packages of one layer never import each other.
 */
@Timeout(30)
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/io/sockethost/core");
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("config", 0),
            Map.entry("events", 1),
            Map.entry("plugin", 2), Map.entry("concurrency", 2), Map.entry("activation", 2), Map.entry("tls", 2),
            Map.entry("proxy", 2),
            Map.entry("forking", 3), Map.entry("server", 3),
            Map.entry("assembly", 4),
            Map.entry("host", 5), Map.entry("worker", 5));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.sockethost\\.core\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void everyPackageIsInALayer() throws IOException {
        try (Stream<Path> packages = Files.list(SOURCES)) {
            assertThat(packages.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .allSatisfy(name -> assertThat(LAYER).as("layer of package " + name).containsKey(name));
        }
    }

    @Test
    void noPackageImportsAHigherLayerOrAPackageOfItsOwnLayer() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file).getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1);
                    if (!to.equals(from) && LAYER.getOrDefault(to, 99) >= LAYER.getOrDefault(from, -1)) {
                        violations.add(SOURCES.relativize(file) + " imports " + to);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
