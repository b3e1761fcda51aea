package io.sockethost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.api.Transport;
import io.sockethost.core.config.Cidr;
import io.sockethost.core.config.ClientRules;
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ConcurrencyMode;
import io.sockethost.core.config.HostSettings;
import io.sockethost.core.config.ProxyProtocolConfig;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerDeclaration;
import io.sockethost.core.config.StrictJson;
import io.sockethost.core.config.TlsConfig;

class EffectiveConfigTest {
    private static final Path HOME = Path.of("/opt/sockethost");

    private static ServerConfig fullyPopulated() {
        return new ServerConfig("s", "p", "com.example.Handler", Transport.TCP, new InetSocketAddress("127.0.0.1", 8000),
                true, new ConcurrencyConfig(ConcurrencyMode.THREADING, 8, true, true, false, 4, 10, 1,
                        Duration.ofSeconds(3), List.of("-Xmx64m")),
                Duration.ofMillis(1500), null, Duration.ofSeconds(60), Duration.ofMillis(500), 64, true, false, true, 1024, "0600",
                new ClientRules(List.of(Cidr.parse("127.0.0.0/8")), List.of(Cidr.parse("10.0.0.0/8")), 5),
                new ProxyProtocolConfig(List.of(Cidr.parse("127.0.0.1/32")), Duration.ofSeconds(3)),
                "com.example.Hooks", "com.example.Lifecycle", StrictJson.MAPPER.createObjectNode().put("k", "v"), "test", HOME,
                new TlsConfig(HOME.resolve("conf/tls/fullchain.pem"), HOME.resolve("conf/tls/privkey.pem"), null, null, null,
                        Duration.ofSeconds(10)));
    }

    private static Set<String> components(Class<? extends Record> type, String... except) {
        Set<String> skip = Set.of(except);
        return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).filter(n -> !skip.contains(n))
                .collect(Collectors.toSet());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Fails when a descriptor field is added without teaching {@code sockethost config} to print it. */
    @Test
    void writesEveryFieldTheOverrideFormatHas() {
        ObjectNode server = io.sockethost.core.config.ServerConfigJson.write(fullyPopulated(), HOME);
        assertThat(fields(server)).isEqualTo(components(ServerDeclaration.class, "name", "plugin", "from"));
        assertThat(fields(server.get("concurrency"))).isEqualTo(components(ServerDeclaration.ConcurrencyDeclaration.class));
        assertThat(fields(server.get("verify"))).isEqualTo(components(ServerDeclaration.VerifyDeclaration.class));
        assertThat(server.get("tls").toString()).isEqualTo("{\"certificate\":\"conf/tls/fullchain.pem\","
                + "\"privateKey\":\"conf/tls/privkey.pem\",\"handshakeTimeout\":10}");
        assertThat(fields(server.get("proxyProtocol"))).isEqualTo(components(ServerDeclaration.ProxyProtocolDeclaration.class));
        JsonNode root = EffectiveConfig.render(HostSettings.DEFAULTS, List.of(), List.of(), HOME);
        assertThat(fields(root.get("host"))).isEqualTo(components(HostSettings.Declaration.class));
    }

    @Test
    void writesSecondsAsTheDescriptorDoesAndNoneAsZero() {
        ObjectNode server = io.sockethost.core.config.ServerConfigJson.write(fullyPopulated(), HOME);
        assertThat(server.get("timeout").toString()).isEqualTo("1.5");
        assertThat(server.get("readTimeout").toString()).isEqualTo("0");
        assertThat(server.get("writeTimeout").toString()).isEqualTo("60");
        assertThat(server.get("concurrency").get("requestTimeout").toString()).isEqualTo("3");
        assertThat(server.get("pollInterval").toString()).isEqualTo("0.5");
    }

    @Test
    void fullPatchSpellsOutTheTargetAndNullsWhatOnlyTheBaseHas() throws Exception {
        JsonNode base = StrictJson.MAPPER.readTree("{\"name\": \"s\", \"hooks\": \"H\", \"settings\": {\"a\": 1, \"b\": 2}}");
        JsonNode target = StrictJson.MAPPER.readTree("{\"settings\": {\"a\": 1, \"c\": 3}, \"enabled\": true}");
        assertThat(EffectiveConfig.fullPatch(base, target)).isEqualTo(StrictJson.MAPPER.readTree(
                "{\"settings\": {\"a\": 1, \"c\": 3, \"b\": null}, \"enabled\": true, \"hooks\": null}"));
        assertThat(StrictJson.mergePatch(base, EffectiveConfig.fullPatch(base, target)))
                .isEqualTo(((ObjectNode) target.deepCopy()).put("name", "s"));
    }
}
