package io.sockethost.distribution;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;

/**
 * The built zip unpacked into a folder, as an operator would: file modes come from the zip (so the test
 * fails if {@code bin/sockethost} is not executable in it), and there must be exactly one top folder,
 * {@code sockethost-<version>/}.
 */
record Installation(Path home) {

    /** The zip this build made (system properties {@code distribution.zip} and {@code distribution.name}), unpacked under {@code temp}. */
    static Installation unzipBuilt(Path temp) throws IOException {
        return unzip(Path.of(System.getProperty("distribution.zip")), System.getProperty("distribution.name"),
                temp.resolve("sockethost dist"));
    }

    static Installation unzip(Path zip, String expectedTopFolder, Path into) throws IOException {
        Files.createDirectories(into);
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("enablePosixFileAttributes", "true"))) {
            Path root = fs.getPath("/");
            List<Path> top;
            try (Stream<Path> list = Files.list(root)) {
                top = list.toList();
            }
            if (top.size() != 1 || !top.get(0).getFileName().toString().equals(expectedTopFolder + "/")
                    && !top.get(0).getFileName().toString().equals(expectedTopFolder)) {
                throw new AssertionError("the zip must hold exactly one top folder " + expectedTopFolder + "/, but holds " + top);
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path entry : walk.toList()) {
                    Path target = into.resolve(root.relativize(entry).toString());
                    if (Files.isDirectory(entry)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(entry, target);
                    }
                    Set<PosixFilePermission> mode = Files.getFileAttributeView(entry, PosixFileAttributeView.class)
                            .readAttributes().permissions();
                    Files.setPosixFilePermissions(target, mode);
                }
            }
        }
        return new Installation(into.resolve(expectedTopFolder));
    }

    Path launcher() {
        return home.resolve("bin/sockethost");
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path plugins() {
        return home.resolve("plugins");
    }

    Path lib(String prefix) throws IOException {
        try (Stream<Path> list = Files.list(home.resolve("lib"))) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + home.resolve("lib")));
        }
    }

    /** The shipped {@code conf/sockethost.json} (with its comments), parsed. */
    JsonNode shippedConf() throws IOException {
        return StrictJson.MAPPER.readTree(conf().resolve("sockethost.json").toFile());
    }

    /** The names of the servers in the shipped {@code conf/sockethost.json}. */
    List<String> shippedServers() throws IOException {
        List<String> names = new ArrayList<>();
        shippedConf().path("servers").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Writes {@code conf/servers/<name>.json}: every tcp and udp server of the shipped configuration moved to
     * an ephemeral loopback port (no fixed port: other builds run on this machine), the given servers added,
     * and the given shutdown deadline.
     */
    void writeTestOverrides(String name, double shutdownTimeout, ObjectNode extraServers) throws IOException {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        root.putObject("host").put("shutdownTimeout", shutdownTimeout);
        ObjectNode servers = root.putObject("servers");
        shippedConf().path("servers").properties().forEach(e -> {
            String transport = e.getValue().path("transport").asText();
            if (transport.equals("tcp") || transport.equals("udp")) {
                servers.putObject(e.getKey()).put("address", "127.0.0.1:0");
            }
        });
        servers.setAll(extraServers);
        Files.writeString(Files.createDirectories(conf().resolve("servers")).resolve(name + ".json"), root.toPrettyString());
    }
}
