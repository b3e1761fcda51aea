package io.sockethost.core.config;

import static io.sockethost.core.config.ServerConfigResolverTest.CONF;
import static io.sockethost.core.config.ServerConfigResolverTest.ECHO;
import static io.sockethost.core.config.ServerConfigResolverTest.HOME;
import static io.sockethost.core.config.ServerConfigResolverTest.onlyProblem;
import static io.sockethost.core.config.ServerConfigResolverTest.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code proxyProtocol} block: off unless present, stream transports only, validated like every other field. */
@Timeout(30)
class ProxyProtocolConfigTest {

    private static String onEchoTcp(String block) {
        return "{\"servers\": {\"echo-tcp\": {\"proxyProtocol\": " + block + "}}}";
    }

    @Test
    void absentIsOff() throws Exception {
        assertThat(resolve(ECHO, null).get(0).proxyProtocol()).isNull();
    }

    @Test
    void trustedBlocksAndADefaultHeaderTimeout() throws Exception {
        ProxyProtocolConfig p = resolve(ECHO, onEchoTcp("{\"trusted\": [\"127.0.0.1/32\", \"::1/128\"]}")).get(0).proxyProtocol();
        assertThat(p.trusted()).extracting(Cidr::text).containsExactly("127.0.0.1/32", "::1/128");
        assertThat(p.headerTimeout()).isEqualTo(ServerDefaults.PROXY_HEADER_TIMEOUT).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.trusts(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(p.trusts(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(resolve(ECHO, onEchoTcp("{\"trusted\": [\"10.0.0.0/8\"], \"headerTimeout\": 0.5}")).get(0)
                .proxyProtocol().headerTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theEffectiveConfigurationCarriesItAsAWorkerReadsItBack() throws Exception {
        ServerConfig server = resolve(ECHO, onEchoTcp("{\"trusted\": [\"10.0.0.0/8\"], \"headerTimeout\": 1.5}")).get(0);
        var json = ServerConfigJson.write(server, HOME);
        assertThat(json.get("proxyProtocol").toString()).isEqualTo("{\"trusted\":[\"10.0.0.0/8\"],\"headerTimeout\":1.5}");
        json.put("name", server.name());
        ServerConfig again = resolve(StrictJson.MAPPER.createArrayNode().add(json).toString(), null).get(0);
        assertThat(again.proxyProtocol()).isEqualTo(server.proxyProtocol());
        assertThat(ServerConfigJson.write(resolve(ECHO, null).get(0), HOME).has("proxyProtocol")).isFalse();
    }

    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        ConfigProblem p = onlyProblem(ECHO, onEchoTcp("{\"trusted\": [\"127.0.0.1\"], \"trustd\": []}"));
        assertThat(p.file()).isEqualTo(CONF);
        assertThat(p.path()).isEqualTo("servers.echo-tcp.proxyProtocol.trustd");
        assertThat(p.message()).contains("unknown field \"trustd\"", "did you mean \"trusted\"", "headerTimeout");
    }

    @Test
    void aWrongTypeIsNamedWithItsPath() {
        assertThat(onlyProblem(ECHO, onEchoTcp("{\"trusted\": \"127.0.0.1\"}")).path())
                .isEqualTo("servers.echo-tcp.proxyProtocol.trusted");
        assertThat(onlyProblem(ECHO, onEchoTcp("true")).path()).isEqualTo("servers.echo-tcp.proxyProtocol");
    }

    @Test
    void aBadBlockIsNamedWithItsIndex() {
        ConfigProblem p = onlyProblem(ECHO, onEchoTcp("{\"trusted\": [\"127.0.0.1/32\", \"127.0.0.1/33\"]}"));
        assertThat(p.path()).isEqualTo("servers.echo-tcp.proxyProtocol.trusted[1]");
        assertThat(p.message()).contains("\"127.0.0.1/33\" is not an address block");
    }

    @Test
    void tcpMustSayWhomToTrust() {
        for (String block : List.of("{}", "{\"trusted\": []}")) {
            ConfigProblem p = onlyProblem(ECHO, onEchoTcp(block));
            assertThat(p.path()).isEqualTo("servers.echo-tcp.proxyProtocol.trusted");
            assertThat(p.message()).contains("missing", "load balancers");
        }
    }

    @Test
    void headerTimeoutMustBePositive() {
        ConfigProblem p = onlyProblem(ECHO, onEchoTcp("{\"trusted\": [\"127.0.0.1\"], \"headerTimeout\": 0}"));
        assertThat(p.path()).isEqualTo("servers.echo-tcp.proxyProtocol.headerTimeout");
        assertThat(p.message()).contains("out of range");
    }

    @Test
    void datagramTransportsRefuseIt() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-udp\": {\"proxyProtocol\": {\"trusted\": [\"127.0.0.1\"]}}}}");
        assertThat(p.path()).isEqualTo("servers.echo-udp.proxyProtocol");
        assertThat(p.message()).contains("stream transports (tcp, unix-stream) only");
    }

    @Test
    void unixStreamTrustsWhoMayOpenTheSocketFile() throws Exception {
        String unix = "[{\"name\": \"u\", \"handler\": \"x.U\", \"transport\": \"unix-stream\", \"address\": \"run/u.sock\", "
                + "\"proxyProtocol\": %s}]";
        ProxyProtocolConfig p = resolve(unix.formatted("{}"), null).get(0).proxyProtocol();
        assertThat(p.trusted()).isEmpty();
        assertThat(p.trusts(null)).isTrue();
        ConfigProblem refused = onlyProblem(unix.formatted("{\"trusted\": [\"127.0.0.1\"]}"), null);
        assertThat(refused.path()).isEqualTo("servers[0].proxyProtocol.trusted");
        assertThat(refused.message()).contains("socketMode");
    }
}
