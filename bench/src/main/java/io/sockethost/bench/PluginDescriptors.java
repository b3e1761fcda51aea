package io.sockethost.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the servers a plugin jar declares, so that each can be given a free port (or disabled) in a run. */
public final class PluginDescriptors {
    static final String FILE = "sockethost-plugin.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_JAVA_COMMENTS.mappedFeature());

    /** One declared server. */
    public record Server(String name, String transport) {
        public boolean inet() {
            return transport.equals("tcp") || transport.equals("udp");
        }
    }

    /** A plugin's id and servers. */
    public record Descriptor(String id, List<Server> servers) {
    }

    private PluginDescriptors() {
    }

    public static Descriptor read(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(FILE);
            if (entry == null) {
                throw new IOException(jar + " has no " + FILE);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                JsonNode root = JSON.readTree(in);
                List<Server> servers = new ArrayList<>();
                for (JsonNode server : root.path("servers")) {
                    servers.add(new Server(server.path("name").asText(), server.path("transport").asText("tcp")));
                }
                return new Descriptor(root.path("id").asText(), List.copyOf(servers));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the descriptor of " + jar, e);
        }
    }
}
