package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.distribution.HostProcess.Finished;

/**
 * The fixture of the end-to-end tests: the built zip unpacked into a fresh folder whose path has a space,
 * and {@code bin/sockethost} run from another working directory with the test's Java as {@code JAVA_HOME}.
 */
abstract class InstalledDistribution {
    @TempDir
    Path temp;

    Installation install;
    /** The working directory of every process: not the installation, which must not matter. */
    Path elsewhere;
    final Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));

    @BeforeEach
    void unpack() throws IOException {
        install = Installation.unzipBuilt(temp);
        elsewhere = Files.createDirectories(temp.resolve("somewhere else"));
    }

    HostProcess start(String... args) throws IOException {
        return HostProcess.start(install.launcher(), elsewhere, environment, args);
    }

    /** Runs a command that ends by itself ({@code check}, {@code reload}, ...) to its end. */
    Finished runToEnd(String... args) throws IOException, InterruptedException {
        try (HostProcess process = start(args)) {
            return process.finish(DistributionIT.QUICK_COMMAND);
        }
    }

    /** Runs login-auth's AddUser from the bundled jar, as the README tells operators to. */
    void addLoginUser(String name, String password) throws Exception {
        Path jar;
        try (Stream<Path> list = Files.list(install.plugins())) {
            jar = list.filter(p -> p.getFileName().toString().startsWith("plugin-login-auth-")).findFirst().orElseThrow();
        }
        Process addUser = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar.toString(),
                "io.sockethost.plugins.loginauth.AddUser", "--users", install.conf().resolve("login-auth.users").toString(),
                "--iterations", "1000", "--password-stdin", name).directory(elsewhere.toFile()).redirectErrorStream(true).start();
        try (OutputStream stdin = addUser.getOutputStream()) {
            stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(addUser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(addUser.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(addUser.exitValue()).as(output).isZero();
    }
}
