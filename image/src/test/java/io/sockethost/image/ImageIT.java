package io.sockethost.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.core.config.StrictJson;

/**
 * The image {@code jib:buildTar} made, read from its tar (whatever the base, {@code scratch} included): it runs
 * {@code bin/sockethost run} as a non-root user in the installation folder, exposes exactly the ports of the
 * default configuration plus the admin listener its own {@code conf/servers/container.json} turns on, keeps
 * {@code conf/} and {@code plugins/} in volumes, and holds the distribution's layout under one folder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImageIT {
    private static final String HOME = System.getProperty("image.home");
    private static final Path DIST = Path.of(System.getProperty("dist.dir"));
    private static ImageTar image;
    private static JsonNode config;

    @BeforeAll
    static void read() throws IOException {
        image = ImageTar.read(Path.of(System.getProperty("image.tar")));
        config = image.config().path("config");
    }

    @Test
    void runsTheLauncherAsANonRootUserInTheInstallationFolder() {
        assertThat(config.path("Entrypoint")).as("entrypoint").containsExactly(StrictJson.MAPPER.getNodeFactory().textNode(HOME + "/bin/sockethost"));
        assertThat(config.path("Cmd").toString()).isEqualTo("[\"run\"]");
        assertThat(config.path("WorkingDir").asText()).isEqualTo(HOME);
        String user = config.path("User").asText();
        assertThat(user).as("User").matches("\\d+:\\d+");
        assertThat(Integer.parseInt(user.substring(0, user.indexOf(':')))).as("uid").isPositive();
        assertThat(Integer.parseInt(user.substring(user.indexOf(':') + 1))).as("gid").isPositive();
        assertThat(image.file(HOME + "/bin/sockethost").mode()).as("bin/sockethost's mode").isEqualTo(0755);
        // what the non-root user writes: socket files and the class-data-sharing archive, log files
        for (String folder : List.of("run", "logs")) {
            ImageTar.Entry entry = image.file(HOME + "/" + folder);
            assertThat(entry.directory()).as(folder).isTrue();
            assertThat(entry.mode() & 0003).as(folder + " writable and searchable by a user who owns nothing").isEqualTo(0003);
        }
    }

    @Test
    void exposesTheDefaultConfigurationsPortsAndTheAdminListener() throws IOException {
        JsonNode shipped = StrictJson.MAPPER.readTree(DIST.resolve("conf/sockethost.json").toFile());
        Map<String, String> defaults = new TreeMap<>(); // server -> "port/transport" of every enabled tcp or udp server
        shipped.path("servers").properties().forEach(e -> {
            String transport = e.getValue().path("transport").asText();
            if ((transport.equals("tcp") || transport.equals("udp")) && e.getValue().path("enabled").asBoolean(true)) {
                defaults.put(e.getKey(), port(e.getValue().path("address").asText()) + "/" + transport);
            }
        });
        assertThat(defaults).as("the default configuration's tcp and udp servers").isNotEmpty();

        JsonNode container = StrictJson.MAPPER.readTree(image.file(HOME + "/conf/servers/container.json").content());
        Map<String, String> moved = new TreeMap<>();
        container.path("servers").properties().forEach(e -> {
            String address = e.getValue().path("address").asText();
            assertThat(address).as(e.getKey() + " listens on every interface in a container").startsWith("0.0.0.0:");
            moved.put(e.getKey(), port(address) + "/" + shipped.path("servers").path(e.getKey()).path("transport").asText());
        });
        assertThat(moved).as("container.json moves every default tcp and udp server to 0.0.0.0, on its port").isEqualTo(defaults);
        String admin = container.path("host").path("admin").path("address").asText();
        assertThat(admin).as("the admin listener, for health checks").startsWith("0.0.0.0:");

        Set<String> expected = new TreeSet<>(defaults.values());
        expected.add(port(admin) + "/tcp");
        Set<String> exposed = new TreeSet<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
        assertThat(exposed).isEqualTo(expected);
    }

    @Test
    void keepsConfAndPluginsInVolumesAndHoldsTheDistributionUnderOneFolder() throws IOException {
        Set<String> volumes = new TreeSet<>();
        config.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        assertThat(volumes).containsExactly(HOME + "/conf", HOME + "/plugins");

        List<Path> distributed;
        try (Stream<Path> walk = Files.walk(DIST)) {
            distributed = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(distributed).as("the laid-out distribution").isNotEmpty();
        for (Path file : distributed) {
            String inImage = HOME + "/" + DIST.relativize(file).toString().replace('\\', '/');
            assertThat(image.file(inImage).size()).as(inImage).isEqualTo(Files.size(file));
        }
        assertThat(image.files().keySet()).as("the installation's plugins")
                .anyMatch(p -> p.startsWith(HOME + "/plugins/plugin-echo-") && p.endsWith(".jar"));
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
