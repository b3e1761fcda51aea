package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.api.Transport;

/** Descriptor and override validation: every error names the file, the JSON path and what is allowed. */
@Timeout(30)
class ServerConfigResolverTest {
    static final String DESCRIPTOR = "plugins/echo.jar!/sockethost-plugin.json";
    static final String CONF = "conf/sockethost.json";
    static final Path HOME = Path.of("/opt/sockethost");

    static final String ECHO = """
            [{"name": "echo-tcp", "handler": "x.Echo", "transport": "tcp", "address": "127.0.0.1:8000",
              "concurrency": {"mode": "threading", "maxWorkers": 10}, "settings": {"greeting": "hi"}},
             {"name": "echo-udp", "handler": "x.EchoUdp", "transport": "udp", "address": "127.0.0.1:8000"}]""";

    static List<ServerConfig> resolve(String servers, String override) throws ConfigException {
        return resolve(servers, override, ServerConfigResolver.PluginCheck.NONE);
    }

    static List<ServerConfig> resolve(String servers, String override, ServerConfigResolver.PluginCheck check) throws ConfigException {
        try {
            List<OverrideFile> overrides = override == null ? List.of()
                    : List.of(OverrideFile.parse(CONF, StrictJson.MAPPER.readTree(override)));
            return new ServerConfigResolver(HOME, Set.of("echo"), check)
                    .resolve(List.of(new PluginServers("echo", DESCRIPTOR, StrictJson.MAPPER.readTree(servers))), overrides);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ConfigProblem onlyProblem(String servers, String override) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(servers, override));
        assertThat(e).as("expected a configuration error").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void appliesDefaults() throws Exception {
        ServerConfig tcp = resolve(ECHO, null).get(0);
        assertThat(tcp.name()).isEqualTo("echo-tcp");
        assertThat(tcp.transport()).isEqualTo(Transport.TCP);
        assertThat(tcp.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 8000));
        assertThat(tcp.enabled()).isTrue();
        assertThat(tcp.concurrency().mode()).isEqualTo(ConcurrencyMode.THREADING);
        assertThat(tcp.concurrency().maxWorkers()).isEqualTo(10);
        assertThat(tcp.concurrency().blockOnClose()).isTrue();
        assertThat(tcp.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(tcp.allowReuseAddress()).isTrue();
        assertThat(resolve(ECHO, null).get(1).allowReuseAddress()).as("udp, as Python's UDPServer").isFalse();
        assertThat(tcp.noDelay()).isTrue();
        assertThat(tcp.maxPacketSize()).isEqualTo(8192);
        assertThat(tcp.timeout()).isNull();
        assertThat(tcp.writeTimeout()).as("as Python's socketserver: none").isNull();
        assertThat(tcp.settings().get("greeting").asText()).isEqualTo("hi");
    }

    @Test
    void anOverrideWinsFieldByFieldAndKeepsTheRest() throws Exception {
        List<ServerConfig> servers = resolve(ECHO, """
                {"servers": {"echo-tcp": {"address": "0.0.0.0:9000", "concurrency": {"maxWorkers": 3},
                                          "settings": {"extra": 1}},
                             "echo-udp": {"enabled": false}}}""");
        ServerConfig tcp = servers.get(0);
        assertThat(tcp.address()).isEqualTo(new InetSocketAddress("0.0.0.0", 9000));
        assertThat(tcp.concurrency().maxWorkers()).isEqualTo(3);
        assertThat(tcp.concurrency().mode()).isEqualTo(ConcurrencyMode.THREADING);
        assertThat(tcp.settings().get("greeting").asText()).isEqualTo("hi");
        assertThat(tcp.settings().get("extra").asInt()).isEqualTo(1);
        assertThat(servers.get(1).enabled()).isFalse();
    }

    @Test
    void anOverrideCanAddASecondServerOfTheSameHandler() throws Exception {
        List<ServerConfig> servers = resolve(ECHO, """
                {"servers": {"echo-tcp-2": {"from": "echo-tcp", "address": "127.0.0.1:8001"},
                             "echo-sync": {"plugin": "echo", "handler": "x.Echo", "address": "127.0.0.1:8002",
                                           "concurrency": {"mode": "sync"}}}}""");
        assertThat(servers).extracting(ServerConfig::name).containsExactly("echo-tcp", "echo-udp", "echo-tcp-2", "echo-sync");
        ServerConfig copy = servers.get(2);
        assertThat(copy.handlerClass()).isEqualTo("x.Echo");
        assertThat(copy.concurrency().maxWorkers()).isEqualTo(10);
        assertThat(copy.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 8001));
        assertThat(servers.get(3).concurrency().mode()).isEqualTo(ConcurrencyMode.SYNC);
    }

    @Test
    void unknownFieldInTheDescriptorNamesFilePathAndAllowedFields() {
        ConfigProblem p = onlyProblem("""
                [{"name": "a", "handler": "x.A", "address": "127.0.0.1:1", "concurency": {}}]""", null);
        assertThat(p.file()).isEqualTo(DESCRIPTOR);
        assertThat(p.path()).isEqualTo("servers[0].concurency");
        assertThat(p.message()).contains("unknown field \"concurency\"").contains("allowed fields:").contains("concurrency");
    }

    @Test
    void unknownFieldInAnOverrideNamesTheOverrideFile() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"concurrency\": {\"maxWorker\": 3}}}}");
        assertThat(p.file()).isEqualTo(CONF);
        assertThat(p.path()).isEqualTo("servers.echo-tcp.concurrency.maxWorker");
        assertThat(p.message()).contains("unknown field").contains("maxWorkers");
    }

    @Test
    void wrongTypeNamesWhatIsExpected() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"concurrency\": {\"maxWorkers\": \"ten\"}}}}");
        assertThat(p.file()).isEqualTo(CONF);
        assertThat(p.path()).isEqualTo("servers.echo-tcp.concurrency.maxWorkers");
        assertThat(p.message()).contains("an integer");
    }

    @Test
    void writeTimeoutIsReadInSecondsAndZeroMeansNone() throws Exception {
        assertThat(resolve(ECHO, "{\"servers\": {\"echo-tcp\": {\"writeTimeout\": 2.5}}}").get(0).writeTimeout())
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(resolve(ECHO, "{\"servers\": {\"echo-tcp\": {\"writeTimeout\": 0}}}").get(0).writeTimeout()).isNull();
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"writeTimeout\": -1}}}");
        assertThat(p.path()).isEqualTo("servers.echo-tcp.writeTimeout");
        assertThat(p.message()).contains("out of range", "0 to 86400 seconds");
    }

    @Test
    void aFractionWhereAnIntegerBelongsIsRefused() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"requestQueueSize\": 1.5}}}");
        assertThat(p.path()).isEqualTo("servers.echo-tcp.requestQueueSize");
        assertThat(p.message()).contains("an integer");
    }

    @Test
    void badConcurrencyModeListsTheAllowedModes() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"concurrency\": {\"mode\": \"forked\"}}}}");
        assertThat(p.file()).isEqualTo(CONF);
        assertThat(p.path()).isEqualTo("servers.echo-tcp.concurrency.mode");
        assertThat(p.message()).contains("\"forked\"").contains("sync").contains("threading");
    }

    @Test
    void badTransportListsTheAllowedTransports() {
        ConfigProblem p = onlyProblem("[{\"name\": \"a\", \"handler\": \"x.A\", \"transport\": \"sctp\", \"address\": \"127.0.0.1:1\"}]", null);
        assertThat(p.file()).isEqualTo(DESCRIPTOR);
        assertThat(p.path()).isEqualTo("servers[0].transport");
        assertThat(p.message()).contains("tcp, udp, unix-stream, unix-datagram");
    }

    @Test
    void badAddressesSayWhatIsAllowed() {
        for (String address : new String[] {"localhost", "127.0.0.1:99999", "127.0.0.1:http", "[::1]8000", "::1:80"}) {
            ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"address\": \"" + address + "\"}}}");
            assertThat(p.file()).isEqualTo(CONF);
            assertThat(p.path()).isEqualTo("servers.echo-tcp.address");
            assertThat(p.message()).as(address).containsAnyOf("allowed: host:port", "allowed: 0-65535");
        }
    }

    @Test
    void unixAddressesResolveAgainstTheHome() throws Exception {
        ServerConfig unix = resolve("[{\"name\": \"u\", \"handler\": \"x.A\", \"transport\": \"unix-stream\", \"address\": \"run/u.sock\"}]",
                null).get(0);
        assertThat(unix.address()).isEqualTo(UnixDomainSocketAddress.of(HOME.resolve("run/u.sock")));
        assertThat(unix.socketMode()).isEqualTo("0660");
    }

    @Test
    void missingHandlerAndAddressAreReportedTogether() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve("[{\"name\": \"a\"}]", null));
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("servers[0].handler", "servers[0].address");
    }

    @Test
    void aHandlerClassTheCheckRefusesIsReportedAtTheHandlerField() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(ECHO, "{\"servers\": {\"echo-tcp\": {\"handler\": \"x.Missing\"}}}",
                (server, problems) -> {
                    if (server.handlerClass().equals("x.Missing")) {
                        problems.error("handler", "class x.Missing is not in plugin \"echo\"");
                    }
                }));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(CONF);
            assertThat(p.path()).isEqualTo("servers.echo-tcp.handler");
            assertThat(p.message()).contains("x.Missing");
        });
    }

    @Test
    void twoServersOnTheSameAddressAreRefused() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"second\": {\"from\": \"echo-tcp\"}}}");
        assertThat(p.path()).isEqualTo("servers.second.address");
        assertThat(p.message()).contains("127.0.0.1:8000").contains("echo-tcp").contains("\"enabled\": false");
    }

    @Test
    void aWildcardAddressClashesWithASpecificOneOnTheSamePort() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"second\": {\"from\": \"echo-tcp\", \"address\": \"0.0.0.0:8000\"}}}");
        assertThat(p.message()).contains("also used by server \"echo-tcp\"");
    }

    @Test
    void tcpAndUdpMayShareAPortAndDisabledServersDoNotClash() throws Exception {
        assertThat(resolve(ECHO, "{\"servers\": {\"second\": {\"from\": \"echo-tcp\", \"enabled\": false}}}")).hasSize(3);
    }

    /** Resolves and returns what was skipped; the resolution itself must succeed. */
    static List<ServerConfigResolver.SkippedServer> skipped(String servers, String override) throws Exception {
        List<OverrideFile> overrides = List.of(OverrideFile.parse(CONF, StrictJson.MAPPER.readTree(override)));
        ServerConfigResolver resolver = new ServerConfigResolver(HOME, Set.of("echo"), ServerConfigResolver.PluginCheck.NONE);
        resolver.resolve(List.of(new PluginServers("echo", DESCRIPTOR, StrictJson.MAPPER.readTree(servers))), overrides);
        return resolver.skipped();
    }

    @Test
    void anUnknownServerIsSkippedWithAProblemListingTheKnownOnes() throws Exception {
        // a kept conf file of a removed plugin, or a misspelt name: the others start, check reports it
        ConfigProblem p = skipped(ECHO, "{\"servers\": {\"echo-tpc\": {\"address\": \"127.0.0.1:1\"}}}").get(0).problem();
        assertThat(p.file()).isEqualTo(CONF);
        assertThat(p.path()).isEqualTo("servers.echo-tpc");
        assertThat(p.message()).contains("echo-tcp, echo-udp").contains("\"from\"");
    }

    @Test
    void serversOfAPluginThatIsNotLoadedAndCopiesOfThemAreSkippedNamingThePlugin() throws Exception {
        List<ServerConfigResolver.SkippedServer> skipped = skipped(ECHO, """
                {"servers": {
                  "login": {"plugin": "login-auth", "handler": "x.LoginHandler", "address": "127.0.0.1:1"},
                  "login-copy": {"from": "login", "address": "127.0.0.1:2"}
                }}""");
        assertThat(skipped).extracting(ServerConfigResolver.SkippedServer::name, ServerConfigResolver.SkippedServer::pluginId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("login", "login-auth"),
                        org.assertj.core.groups.Tuple.tuple("login-copy", null));
        assertThat(skipped.get(0).problem().path()).isEqualTo("servers.login.plugin");
    }

    @Test
    void unknownTopLevelFieldInTheOverrideFile() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> OverrideFile.parse(CONF, StrictJson.MAPPER.readTree("{\"server\": {}}")));
        assertThat(e.problems()).singleElement().hasToString(CONF + ": server: unknown field \"server\"; allowed fields: host, servers");
    }

    @Test
    void malformedJsonNamesTheLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("sockethost.json");
        java.nio.file.Files.writeString(file, "{\n  \"servers\": {,\n}");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> OverrideFile.read(file));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file.toString());
            assertThat(p.message()).contains("malformed JSON at line 2");
        });
    }

    @Test
    void outOfRangeValuesNameTheRange() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-udp\": {\"maxPacketSize\": 70000}}}");
        assertThat(p.path()).isEqualTo("servers.echo-udp.maxPacketSize");
        assertThat(p.message()).contains("1 to 65507");
    }

    @Test
    void badCidrNamesTheIndex() {
        ConfigProblem p = onlyProblem(ECHO, "{\"servers\": {\"echo-tcp\": {\"verify\": {\"allow\": [\"10.0.0.0/8\", \"example.com\"]}}}}");
        assertThat(p.path()).isEqualTo("servers.echo-tcp.verify.allow[1]");
        assertThat(p.message()).contains("10.0.0.0/8");
    }

    @Test
    void duplicateServerNamesAcrossPluginsAreRefused() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ServerConfigResolver(HOME, Set.of("a", "b"),
                ServerConfigResolver.PluginCheck.NONE).resolve(List.of(
                        new PluginServers("a", "a.json", StrictJson.MAPPER.readTree("[{\"name\": \"s\", \"handler\": \"x\", \"address\": \"127.0.0.1:1\"}]")),
                        new PluginServers("b", "b.json", StrictJson.MAPPER.readTree("[{\"name\": \"s\", \"handler\": \"y\", \"address\": \"127.0.0.1:2\"}]"))),
                List.of()));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("b.json");
            assertThat(p.path()).isEqualTo("servers[0].name");
            assertThat(p.message()).contains("already declared in a.json");
        });
    }

    /** As Python has ForkingUDPServer and ForkingUnixDatagramServer beside the stream ones. */
    @Test
    void forkingIsAcceptedOnEveryTransport() throws Exception {
        for (String server : List.of("\"transport\": \"udp\", \"address\": \"127.0.0.1:0\"",
                "\"transport\": \"unix-datagram\", \"address\": \"/tmp/sockethost-resolver-test.sock\"",
                "\"transport\": \"unix-stream\", \"address\": \"/tmp/sockethost-resolver-test.sock\"",
                "\"transport\": \"tcp\", \"address\": \"127.0.0.1:0\"")) {
            ServerConfig config = resolve("[{\"name\": \"s\", \"handler\": \"x.H\", " + server
                    + ", \"concurrency\": {\"mode\": \"forking\", \"requestsPerChild\": 1}}]", null).get(0);
            assertThat(config.concurrency().mode()).as(server).isEqualTo(ConcurrencyMode.FORKING);
        }
    }
}
