package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A configuration shows every problem at once: several in one server, duplicate keys, and what plugins report. */
@Timeout(30)
class AllProblemsAtOnceTest {

    private static List<ConfigProblem> problems(String servers, String override, ServerConfigResolver.PluginCheck check) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfigResolverTest.resolve(servers, override, check));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e.problems();
    }

    @Test
    void aTypoDoesNotHideTheNextProblemOfTheSameServer() {
        List<ConfigProblem> found = problems(ServerConfigResolverTest.ECHO, """
                {"servers": {"echo-tcp": {"pollIntervall": 1, "concurrency": {"mode": "forked"}, "requestQueueSize": "many"}}}""",
                ServerConfigResolver.PluginCheck.NONE);
        assertThat(found).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "servers.echo-tcp.pollIntervall", "servers.echo-tcp.concurrency.mode", "servers.echo-tcp.requestQueueSize");
        assertThat(found).filteredOn(p -> p.path().endsWith("pollIntervall")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("unknown field \"pollIntervall\"")
                        .contains("did you mean \"pollInterval\"?"));
        assertThat(found).filteredOn(p -> p.path().endsWith("requestQueueSize")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("an integer"));
        assertThat(found).allSatisfy(p -> assertThat(p.file()).isEqualTo(ServerConfigResolverTest.CONF));
    }

    @Test
    void pluginChecksRunAlsoForServersWithOtherProblemsAndTheirWarningsAreKept() throws Exception {
        ServerConfigResolver.PluginCheck check = (server, problems) -> {
            problems.error("settings.root", "folder /nowhere does not exist");
            problems.warning("settings.usersFile", "users file does not exist yet");
        };
        List<ConfigProblem> found = problems(ServerConfigResolverTest.ECHO,
                "{\"servers\": {\"echo-tcp\": {\"address\": \"127.0.0.1:99999\"}}}", check);
        assertThat(found).extracting(ConfigProblem::path).contains("servers.echo-tcp.address", "servers[0].settings.root",
                "servers[1].settings.root");

        ServerConfigResolver resolver = new ServerConfigResolver(ServerConfigResolverTest.HOME, java.util.Set.of("echo"),
                (server, problems) -> problems.warning("settings.usersFile", "users file does not exist yet"));
        resolver.resolve(List.of(new PluginServers("echo", ServerConfigResolverTest.DESCRIPTOR,
                StrictJson.MAPPER.readTree(ServerConfigResolverTest.ECHO))), List.of());
        assertThat(resolver.warnings()).extracting(ConfigProblem::path)
                .containsExactly("servers[0].settings.usersFile", "servers[1].settings.usersFile");
    }

    @Test
    void everyDuplicateKeyIsReportedWithBothLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sockethost.json");
        Files.writeString(file, """
                {
                  "servers": {
                    "echo-tcp": {"address": "127.0.0.1:8000"},
                    "echo-tcp": {
                      "address": "127.0.0.1:9000",
                      "verify": {"allow": ["10.0.0.0/8"]},
                      "address": "127.0.0.1:9001"
                    }
                  }
                }
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> OverrideFile.read(file));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigProblem::path, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("servers.echo-tcp", "duplicate key: first at line 3, again at line 4; "
                        + "the second would silently replace the first, so keep one"),
                org.assertj.core.groups.Tuple.tuple("servers.echo-tcp.address", "duplicate key: first at line 5, again at "
                        + "line 7; the second would silently replace the first, so keep one"));
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(file.toString()));
    }

    @Test
    void duplicatesInsideArraysAreFoundWithTheirIndex() throws Exception {
        List<DuplicateKeys.Duplicate> found = DuplicateKeys.find("""
                {"servers": [
                  {"name": "a"},
                  {"name": "b", "settings": {"x": 1,
                     "x": 2}}
                ]}""");
        assertThat(found).containsExactly(new DuplicateKeys.Duplicate("servers[1].settings.x", 3, 4));
    }
}
