package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration problem is found by {@code bin/sockethost check} and stops {@code run} before anything
 * binds, all at once: several problems in one server, plugin settings of the wrong type, unknown, out of
 * range or naming a folder that does not exist, keys written twice, and folders named that do not exist.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher")
class ConfigurationCheckIT {
    private static final Duration QUICK_COMMAND = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private Installation install;
    private Path elsewhere;
    private final Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));

    record Finished(int status, String out, String err) {
    }

    @BeforeEach
    void unpack() throws IOException {
        install = Installation.unzip(Path.of(System.getProperty("distribution.zip")), System.getProperty("distribution.name"),
                temp.resolve("dist"));
        elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    }

    private Finished runToEnd(String... args) throws IOException, InterruptedException {
        try (HostProcess process = HostProcess.start(install.launcher(), elsewhere, environment, args)) {
            int status = process.awaitExit(QUICK_COMMAND);
            return new Finished(status, String.join("\n", process.stdout()), String.join("\n", process.stderr()));
        }
    }

    private Path override(String json) throws IOException {
        Path file = Files.createDirectories(install.conf().resolve("servers")).resolve("operator.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void everyProblemIsListedAtOnceAndRunBindsNothing() throws Exception {
        Path file = override("""
                {"servers": {
                  "echo-tcp": {"pollIntervall": 1, "concurrency": {"mode": "forked"}},
                  "login-auth": {"settings": {"maxFailures": "lots"}},
                  "http-lite": {"settings": {"indexFiel": "home.html", "root": "no/such/folder"}},
                  "uppercase-tcp": {"settings": {"charset": "UTF-9"}}
                }}
                """);
        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.toString()).isEqualTo(3);
        assertThat(check.out())
                .contains(file + ": servers.echo-tcp.pollIntervall: unknown field \"pollIntervall\"; did you mean \"pollInterval\"?")
                .contains(file + ": servers.echo-tcp.concurrency.mode: \"forked\" is not allowed")
                .contains(file + ": servers.login-auth.settings.maxFailures: ")
                .contains(file + ": servers.http-lite.settings.indexFiel: unknown field \"indexFiel\"")
                .contains(file + ": servers.uppercase-tcp.settings: unknown charset \"UTF-9\"");

        Files.writeString(file, """
                {"servers": {"http-lite": {"settings": {"root": "no/such/folder"}}}}
                """);
        Finished missingRoot = runToEnd("check");
        assertThat(missingRoot.status()).as(missingRoot.toString()).isEqualTo(3);
        assertThat(missingRoot.out()).contains(file + ": servers.http-lite.settings.root: folder ")
                .contains("no/such/folder does not exist");

        Finished run = runToEnd("run");
        assertThat(run.status()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("servers.http-lite.settings.root");
        assertThat(run.err()).as("run bound nothing").doesNotContain("listening on");
    }

    @Test
    void aUsersFileThatDoesNotExistYetIsAWarningNotAProblem() throws Exception {
        override("""
                {"servers": {"login-auth": {"settings": {"usersFile": "conf/not-yet.users"}}}}
                """);
        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.toString()).isZero();
        assertThat(check.out()).contains("servers.login-auth.settings.usersFile: warning: ")
                .contains("not-yet.users does not exist yet");
    }

    @Test
    void aKeyWrittenTwiceIsAProblemNamingBothLines() throws Exception {
        Path file = override("""
                {"servers": {
                  "echo-tcp": {
                    "address": "127.0.0.1:18000",
                    "address": "127.0.0.1:18001"
                  }
                }}
                """);
        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.toString()).isEqualTo(3);
        assertThat(check.out()).contains(file + ": servers.echo-tcp.address: duplicate key: first at line 3, again at line 4");
        Finished run = runToEnd("run");
        assertThat(run.status()).as(run.toString()).isEqualTo(3);
    }

    @Test
    void aNamedFolderThatDoesNotExistIsAProblem() throws Exception {
        Path missing = temp.resolve("does/not/exist");
        for (String option : new String[] {"--conf", "--plugins", "--home"}) {
            Finished check = runToEnd("check", option, missing.toString());
            assertThat(check.status()).as(option + " " + check).isEqualTo(3);
            assertThat(check.out()).as(option).contains(option + ": folder " + missing + " does not exist");
            Finished run = runToEnd("run", option, missing.toString());
            assertThat(run.status()).as(option + " " + run).isEqualTo(3);
        }
    }
}
