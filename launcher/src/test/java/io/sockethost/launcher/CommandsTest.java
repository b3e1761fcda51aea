package io.sockethost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.core.config.StrictJson;

/** The commands on real folders with a real plugin jar, run in-process through {@link Main#execute}. */
@Timeout(60)
class CommandsTest {
    @TempDir
    Path home;

    /** What one command line printed and returned. */
    record Result(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), layout -> { });
        return new Result(status, out.toString(), err.toString());
    }

    private Path conf(String json) throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        return Files.writeString(conf.resolve("sockethost.json"), json);
    }

    @Test
    void versionAndHelpWorkOnEveryCommand() {
        Result version = run("--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("sockethost ");
        for (String command : List.of("run", "check", "plugins", "config")) {
            Result help = run(command, "--help");
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: sockethost " + command).contains("--home", "--conf",
                    "--plugins", "Exit codes:");
            assertThat(run(command, "--version").out()).as(command).startsWith("sockethost ");
        }
        assertThat(run("help", "check").out()).contains("Usage: sockethost check");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result result = run("check", "--no-such-option");
        assertThat(result.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--no-such-option");
    }

    @Test
    void folderOptionsWorkBeforeAndAfterTheCommand() throws Exception {
        Path other = Files.createDirectories(home.resolve("other"));
        assertThat(run("--home", other.toString(), "check").out()).contains("checked " + other.resolve("conf"));
        assertThat(run("check", "--home", other.toString()).out()).contains("checked " + other.resolve("conf"));
        Path plugins = Files.createDirectories(home.resolve("elsewhere"));
        assertThat(run("check", "--home", other.toString(), "--plugins", plugins.toString()).out())
                .contains("and " + plugins);
    }

    @Test
    void aNamedFolderThatDoesNotExistIsAProblemForCheckAndRun() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        Path missing = home.resolve("does/not/exist");
        for (String option : List.of("--conf", "--plugins", "--home")) {
            String[] home = option.equals("--home") ? new String[0] : new String[] {"--home", this.home.toString()};
            Result check = run(concat(new String[] {"check"}, home, new String[] {option, missing.toString()}));
            assertThat(check.status()).as(option + ": " + check.all()).isEqualTo(ExitCodes.CONFIG);
            assertThat(check.out()).as(option).contains(option + ": folder " + missing + " does not exist");
            Result start = run(concat(new String[] {"run"}, home, new String[] {option, missing.toString()}));
            assertThat(start.status()).as(option + ": " + start.all()).isEqualTo(ExitCodes.CONFIG);
            assertThat(start.err()).as(option).contains(option + ": folder " + missing + " does not exist");
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    void checkPassesOnAValidFolder() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        Result result = run("check", "--home", home.toString());
        assertThat(result.status()).as(result.all()).isZero();
        assertThat(result.out()).contains("OK: 1 plugin(s), 2 server(s), 2 enabled");
    }

    @Test
    void checkListsEveryProblemWithFileAndJsonPath() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        FixturePlugin.writeCorrupt(home.resolve("plugins"));
        Path file = conf("""
                {"servers": {
                  "fixture-a": {"concurrency": {"mode": "bogus"}},
                  "fixture-b": {"readTimeout": "soon", "colour": "red"}
                }}
                """);
        Result result = run("check", "--home", home.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.out())
                .contains("plugins/corrupt.jar: skipped: ")
                .contains(file + ": servers.fixture-a.concurrency.mode: \"bogus\" is not allowed; allowed: sync, threading")
                .contains(file + ": servers.fixture-b.");
        assertThat(result.out().lines().filter(l -> l.startsWith("  "))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void checkReportsMalformedJsonWithItsLine() throws Exception {
        Path file = conf("{\n  \"servers\": {,\n}");
        Result result = run("check", "--home", home.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.out()).contains(file + ": malformed JSON at line 2");
    }

    @Test
    void pluginsListsLoadedPluginsWithServersAndSkippedJarsWithTheirError() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        FixturePlugin.writeCorrupt(home.resolve("plugins"));
        conf("{\"servers\": {\"fixture-b\": {\"enabled\": false}}}");
        Result result = run("plugins", "--home", home.toString());
        assertThat(result.status()).as(result.all()).isZero();
        assertThat(result.out())
                .contains("1 loaded, 1 skipped")
                .contains("fixture 2.0.0  loaded  plugins/fixture-plugin.jar")
                .contains("server fixture-a  tcp 127.0.0.1:0  "
                        + (Runtime.version().feature() >= 21 ? "threading(max 10000, virtual)" : "threading(max 256)") + "  enabled")
                .contains("server fixture-b  tcp 127.0.0.1:0  sync  disabled")
                .containsPattern("plugins/corrupt\\.jar: skipped: .+");
    }

    @Test
    void checkAndPluginsLoadPluginZipsAndReportAnythingElseInThePluginsFolder() throws Exception {
        Path plugins = home.resolve("plugins");
        FixturePlugin.write(plugins);
        FixturePlugin.writeZip(plugins);
        Files.writeString(plugins.resolve("notes.txt"), "an operator's notes");
        Files.createDirectories(plugins.resolve("old"));

        Result check = run("check", "--home", home.toString());
        assertThat(check.status()).as(check.all()).isEqualTo(ExitCodes.CONFIG);
        assertThat(check.out()).contains("2 problems:")
                .contains("  plugins/notes.txt: skipped: not a plugin: plugins are *.jar or *.zip files")
                .contains("  plugins/old: skipped: not a plugin: a folder;");

        Result list = run("plugins", "--home", home.toString());
        assertThat(list.status()).as(list.all()).isZero();
        assertThat(list.out()).contains("2 loaded, 2 skipped")
                .contains("zipped 2.0.0  loaded  plugins/zipped-plugin.zip")
                .contains("server zipped-b  tcp 127.0.0.1:0  sync  enabled")
                .contains("plugins/notes.txt: skipped: not a plugin")
                .contains("plugins/old: skipped: not a plugin: a folder");
    }

    @Test
    void pluginsStillListsWhenTheConfigurationIsInvalid() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        conf("{\"servers\": {\"fixture-a\": {\"address\": \"nowhere\"}}}");
        Result result = run("plugins", "--home", home.toString());
        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("fixture 2.0.0  loaded", "server fixture-a  (as declared; configuration invalid)",
                "run 'sockethost check'");
    }

    @Test
    void configPrintsEveryFieldAndFeedsBackToTheSameConfiguration() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        conf("""
                // an operator's overrides
                {"host": {"shutdownTimeout": 2.5},
                 "servers": {
                   "fixture-a": {"timeout": 0, "settings": {"greeting": null, "extra": [1, 2]},
                                 "verify": {"allow": ["127.0.0.0/8"], "deny": ["10.0.0.0/8"]}},
                   "fixture-b": {"enabled": false, "readTimeout": 1.5, "concurrency": {"maxWorkers": 3}},
                   "fixture-unix": {"from": "fixture-a", "transport": "unix-stream", "address": "run/f.sock"},
                   "fixture-c": {"plugin": "fixture", "handler": "%s", "address": "127.0.0.1:0"}
                 }}
                """.formatted(FixturePlugin.HANDLER));
        Result first = run("config", "--home", home.toString());
        assertThat(first.status()).as(first.all()).isZero();
        JsonNode printed = StrictJson.MAPPER.readTree(first.out());
        JsonNode a = printed.path("servers").path("fixture-a");
        assertThat(printed.path("host").path("shutdownTimeout").asDouble()).isEqualTo(2.5);
        assertThat(a.path("timeout").asInt()).isZero();
        assertThat(a.path("settings").has("greeting")).isTrue();
        assertThat(a.path("settings").get("greeting").isNull()).as("removed by the override: null in the patch").isTrue();
        assertThat(a.path("concurrency").path("mode").asText()).isEqualTo("threading");
        assertThat(printed.path("servers").path("fixture-unix").path("address").asText()).isEqualTo("run/f.sock");
        assertThat(printed.path("servers").path("fixture-unix").path("plugin").asText()).isEqualTo("fixture");
        assertThat(printed.path("servers").path("fixture-c").path("plugin").asText()).isEqualTo("fixture");
        assertThat(printed.path("servers").path("fixture-b").has("plugin")).isFalse();

        Path copy = Files.createDirectories(home.resolve("copy"));
        Files.copy(home.resolve("plugins/fixture-plugin.jar"), Files.createDirectories(copy.resolve("plugins"))
                .resolve("fixture-plugin.jar"));
        Files.writeString(Files.createDirectories(copy.resolve("conf")).resolve("sockethost.json"), first.out());
        Result second = run("config", "--home", copy.toString());
        assertThat(second.status()).as(second.all()).isZero();
        assertThat(StrictJson.MAPPER.readTree(second.out())).isEqualTo(printed);
        assertThat(run("plugins", "--home", copy.toString()).out().lines().filter(l -> l.contains("server ")))
                .containsExactlyElementsOf(run("plugins", "--home", home.toString()).out().lines()
                        .filter(l -> l.contains("server ")).toList());
    }

    @Test
    void configPortableLeavesTheDefaultsThatDependOnTheJavaVersionToTheJavaThatRuns() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        conf("""
                {"servers": {"fixture-c": {"plugin": "fixture", "handler": "%s", "address": "127.0.0.1:0",
                                           "concurrency": {"maxWorkers": 3}}}}
                """.formatted(FixturePlugin.HANDLER));
        Result plain = run("config", "--home", home.toString());
        Result portable = run("config", "--portable", "--home", home.toString());
        assertThat(portable.status()).as(portable.all()).isZero();
        JsonNode here = StrictJson.MAPPER.readTree(plain.out()).path("servers").path("fixture-a");
        assertThat(here.path("concurrency").path("virtualThreads").asBoolean()).as("plain: the value on this Java")
                .isEqualTo(Runtime.version().feature() >= 21);
        assertThat(here.path("concurrency").path("maxWorkers").asInt()).isPositive();

        JsonNode servers = StrictJson.MAPPER.readTree(portable.out()).path("servers");
        JsonNode a = servers.path("fixture-a");
        assertThat(a.path("concurrency").get("virtualThreads").isNull()).as(a.toString()).isTrue();
        assertThat(a.path("concurrency").get("maxWorkers").isNull()).as(a.toString()).isTrue();
        assertThat(a.path("verify").get("maxConnectionsPerClient").isNull()).as(a.toString()).isTrue();
        JsonNode c = servers.path("fixture-c");
        assertThat(c.path("concurrency").get("virtualThreads").isNull()).as("still the runtime's").isTrue();
        assertThat(c.path("concurrency").path("maxWorkers").asInt()).as("set, so kept").isEqualTo(3);
        assertThat(c.path("verify").path("maxConnectionsPerClient").asInt()).as("sized for the 3 set").isEqualTo(1);

        Path copy = Files.createDirectories(home.resolve("copy"));
        Files.copy(home.resolve("plugins/fixture-plugin.jar"), Files.createDirectories(copy.resolve("plugins"))
                .resolve("fixture-plugin.jar"));
        Files.writeString(Files.createDirectories(copy.resolve("conf")).resolve("sockethost.json"), portable.out());
        assertThat(StrictJson.MAPPER.readTree(run("config", "--home", copy.toString()).out()))
                .as("on the Java it runs on, the portable file gives the same servers")
                .isEqualTo(StrictJson.MAPPER.readTree(plain.out()));
    }

    @Test
    void configRefusesAnInvalidConfigurationWithEveryProblem() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        Path file = conf("{\"servers\": {\"fixture-a\": {\"requestQueueSize\": 0}, \"nobody\": {}}}");
        Result result = run("config", "--home", home.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(file + ": servers.fixture-a.requestQueueSize: value 0 is out of range")
                .contains(file + ": servers.nobody: no loaded plugin declares a server named \"nobody\"");
    }

    @Test
    void runRefusesAnInvalidConfiguration() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        conf("{\"servers\": {\"fixture-a\": {\"transport\": \"carrier-pigeon\"}}}");
        Result result = run("run", "--home", home.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.err()).contains("servers.fixture-a.transport: unknown transport \"carrier-pigeon\"");
    }

    @Test
    void runExitsWithTheBindCodeWhenAnAddressIsTaken() throws Exception {
        FixturePlugin.write(home.resolve("plugins"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            conf("{\"servers\": {\"fixture-a\": {\"address\": \"127.0.0.1:" + taken.getLocalPort() + "\", "
                    + "\"allowReuseAddress\": false}}}");
            Result result = run("--home", home.toString());
            assertThat(result.status()).as(result.all()).isEqualTo(ExitCodes.BIND);
            assertThat(result.err()).contains("server fixture-a: cannot listen on tcp 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
