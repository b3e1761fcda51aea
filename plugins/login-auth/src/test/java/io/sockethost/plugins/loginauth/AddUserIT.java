package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.testkit.PluginHost;

/** The add-user command as an operator runs it: a JVM with the plugin jar alone on its class path. */
@Timeout(120)
class AddUserIT {
    @TempDir
    Path dir;

    @Test
    void addedAndChangedUsersCanLogInToARunningServerAndTheFileHoldsNoPlaintext() throws Exception {
        Path users = dir.resolve("conf/login-auth.users");
        assertThat(addUser(users, "carol", "tea for two\n")).startsWith("added user carol in " + users.toAbsolutePath());
        String content = Files.readString(users);
        assertThat(content).contains("carol:pbkdf2-sha256:" + PasswordHash.DEFAULT_ITERATIONS + ":")
                .doesNotContain("tea for two").doesNotContain("tea");

        try (PluginHost host = LoginAuthPluginIT.start(users, "")) {
            InetSocketAddress server = host.inetAddress("login-auth");
            assertThat(LoginAuthPluginIT.tryLogin(server, "carol", "tea for two")).isEqualTo("valid");

            assertThat(addUser(users, "carol", "coffee\n")).startsWith("changed the password of user carol");
            assertThat(Files.readString(users)).doesNotContain("coffee");
            assertThat(LoginAuthPluginIT.tryLogin(server, "carol", "tea for two")).isEqualTo("invalid");
            assertThat(LoginAuthPluginIT.tryLogin(server, "carol", "coffee")).isEqualTo("valid");
        }
    }

    /** Runs {@code java -cp <jar> ...AddUser --users FILE --password-stdin NAME}; returns its output, asserting exit 0. */
    private static String addUser(Path users, String name, String stdin) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", LoginAuthPluginIT.JAR.toString(),
                "io.sockethost.plugins.loginauth.AddUser", "--users", users.toString(), "--password-stdin", name)
                .redirectErrorStream(true)
                .start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("AddUser finished").isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
