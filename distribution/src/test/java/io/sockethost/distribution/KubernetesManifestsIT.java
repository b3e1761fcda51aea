package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.HostProcess.Finished;

/**
 * The Kubernetes example manifests the distribution ships in {@code examples/kubernetes/}, parsed and held
 * against the default configuration (the shipped {@code conf/sockethost.json}, made from the bundled
 * descriptors): the ports the pod declares and the Service publishes are the default tcp and udp servers',
 * the probes ask {@code /health} on the admin port the ConfigMap turns on, the grace period covers the
 * {@code preStop} pause plus {@code shutdownTimeout}, and the ConfigMap passes {@code sockethost check}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher")
class KubernetesManifestsIT extends InstalledDistribution {
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Where the image has the installation (image/pom.xml, image.home). */
    private static final String IMAGE_HOME = "/opt/sockethost";

    private JsonNode deployment;
    private JsonNode service;
    private JsonNode configMap;
    /** The ConfigMap's one conf/servers file. */
    private JsonNode conf;
    private String confFileName;

    @BeforeEach
    void parse() throws IOException {
        Path dir = install.home().resolve("examples/kubernetes");
        deployment = kind(YAML.readTree(dir.resolve("deployment.yaml").toFile()), "Deployment");
        service = kind(YAML.readTree(dir.resolve("service.yaml").toFile()), "Service");
        configMap = kind(YAML.readTree(dir.resolve("configmap.yaml").toFile()), "ConfigMap");
        assertThat(configMap.path("data").size()).as("files in the ConfigMap").isEqualTo(1);
        confFileName = configMap.path("data").fieldNames().next();
        assertThat(confFileName).endsWith(".json");
        conf = StrictJson.MAPPER.readTree(configMap.path("data").path(confFileName).asText());
    }

    private static JsonNode kind(JsonNode manifest, String kind) {
        assertThat(manifest.path("kind").asText()).isEqualTo(kind);
        return manifest;
    }

    /** "port/PROTOCOL" of every enabled tcp and udp server of the default configuration, by server name. */
    private Map<String, String> defaultPorts() throws IOException {
        Map<String, String> ports = new TreeMap<>();
        install.shippedConf().path("servers").properties().forEach(e -> {
            String transport = e.getValue().path("transport").asText();
            if ((transport.equals("tcp") || transport.equals("udp")) && e.getValue().path("enabled").asBoolean(true)) {
                ports.put(e.getKey(), port(e.getValue().path("address").asText()) + "/" + transport.toUpperCase(java.util.Locale.ROOT));
            }
        });
        assertThat(ports).as("the default configuration's tcp and udp servers").isNotEmpty();
        return ports;
    }

    private JsonNode container() {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).as("containers in the pod").isEqualTo(1);
        return containers.get(0);
    }

    @Test
    void thePodAndTheServiceCarryTheDefaultConfigurationsPorts() throws IOException {
        Map<String, String> expected = defaultPorts();
        int admin = port(conf.path("host").path("admin").path("address").asText());

        Map<String, String> declared = new TreeMap<>();
        for (JsonNode p : container().path("ports")) {
            declared.put(p.path("name").asText(), p.path("containerPort").asInt() + "/" + p.path("protocol").asText());
        }
        Map<String, String> withAdmin = new TreeMap<>(expected);
        withAdmin.put("admin", admin + "/TCP");
        assertThat(declared).as("the container's ports, named after the servers").isEqualTo(withAdmin);

        Map<String, String> published = new TreeMap<>();
        for (JsonNode p : service.path("spec").path("ports")) {
            String target = p.path("targetPort").asText();
            assertThat(declared).as("targetPort " + target).containsKey(target);
            assertThat(p.path("port").asInt() + "/" + p.path("protocol").asText()).as(target).isEqualTo(declared.get(target));
            published.put(target, declared.get(target));
        }
        assertThat(published).as("the Service's ports: every server's, not the admin listener").isEqualTo(expected);
        assertThat(service.path("spec").path("selector"))
                .isEqualTo(deployment.path("spec").path("template").path("metadata").path("labels"));
        assertThat(deployment.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    @Test
    void theProbesAskHealthOnTheAdminListenerAndTheGracePeriodCoversTheDrain() throws IOException {
        JsonNode container = container();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(probe).isEqualTo("/health");
            assertThat(get.path("port").asText()).as(probe + " port").isEqualTo("admin");
        }
        List<String> preStop = new ArrayList<>();
        container.path("lifecycle").path("preStop").path("exec").path("command").forEach(c -> preStop.add(c.asText()));
        assertThat(preStop).as("preStop: a pause while the Service forgets the pod").hasSize(2).first().isEqualTo("sleep");
        double pause = Double.parseDouble(preStop.get(1));
        JsonNode timeout = conf.path("host").path("shutdownTimeout");
        double shutdownTimeout = timeout.isNumber() ? timeout.asDouble()
                : install.shippedConf().path("host").path("shutdownTimeout").asDouble();
        assertThat(shutdownTimeout).isPositive();
        assertThat(deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asDouble())
                .as("terminationGracePeriodSeconds against preStop's %s s and shutdownTimeout's %s s", pause, shutdownTimeout)
                .isGreaterThan(pause + shutdownTimeout);
        assertThat(container.path("image").asText()).as("the image 'mvn -Pimage package' names")
                .isEqualTo("sockethost:" + System.getProperty("distribution.name").substring("sockethost-".length()));
    }

    @Test
    void theConfigMapIsTheServersFolderAndMovesEveryServerToAllInterfacesOnItsPort() throws Exception {
        JsonNode mounts = container().path("volumeMounts");
        assertThat(mounts.size()).isEqualTo(1);
        assertThat(mounts.get(0).path("mountPath").asText()).isEqualTo(IMAGE_HOME + "/conf/servers");
        JsonNode volume = deployment.path("spec").path("template").path("spec").path("volumes").get(0);
        assertThat(volume.path("name").asText()).isEqualTo(mounts.get(0).path("name").asText());
        assertThat(volume.path("configMap").path("name").asText()).isEqualTo(configMap.path("metadata").path("name").asText());

        Map<String, String> expected = defaultPorts();
        Map<String, String> moved = new TreeMap<>();
        conf.path("servers").properties().forEach(e -> {
            String address = e.getValue().path("address").asText();
            assertThat(address).as(e.getKey()).startsWith("0.0.0.0:");
            moved.put(e.getKey(), port(address) + "/" + expected.getOrDefault(e.getKey(), "?/?").split("/")[1]);
        });
        assertThat(moved).isEqualTo(expected);
        assertThat(conf.path("host").path("admin").path("address").asText()).startsWith("0.0.0.0:");

        // and the host itself accepts the file
        Files.writeString(Files.createDirectories(install.conf().resolve("servers")).resolve(confFileName),
                configMap.path("data").path(confFileName).asText());
        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.toString()).isZero();
        assertThat(check.out()).as(check.toString()).contains("checked " + install.conf());
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
