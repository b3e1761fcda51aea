package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The add-user command in process, for its options and errors (AddUserIT runs it as a real process). */
@Timeout(60)
class AddUserTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void addsThenChangesAUserKeepingTheRestOfTheFile() throws Exception {
        Path file = dir.resolve("users");
        String bob = TestUsers.line("bob", "b", 1000);
        Files.write(file, List.of("# my users", bob));

        assertThat(run("first pass\n", "--users", file.toString(), "--password-stdin", "--iterations", "1000", "alice"))
                .isEqualTo(AddUser.OK);
        assertThat(out.toString()).startsWith("added user alice in ");
        assertThat(run("second pass\r\n", "--iterations", "1000", "--password-stdin", "alice", "--users", file.toString()))
                .isEqualTo(AddUser.OK);
        assertThat(out.toString()).contains("changed the password of user alice in ");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3).startsWith("# my users", bob);
        assertThat(String.join("\n", lines)).doesNotContain("pass");
        var users = UsersFile.read(file);
        assertThat(users.get("alice").matches("second pass".toCharArray())).isTrue();
        assertThat(users.get("alice").matches("first pass".toCharArray())).isFalse();
        assertThat(users.get("bob").matches("b".toCharArray())).isTrue();
    }

    @Test
    void aMalformedFileIsNamedWithItsLineAndLeftAlone() throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, List.of("# mine", "bob:plaintext"));
        byte[] before = Files.readAllBytes(file);
        assertThat(run("pw\n", "--users", file.toString(), "--password-stdin", "--iterations", "1000", "alice"))
                .isEqualTo(AddUser.FAILED);
        assertThat(err.toString()).contains(file.toAbsolutePath() + ":2: user bob:").doesNotContain("plaintext");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() {
        assertThat(run("", "--password-stdin")).isEqualTo(AddUser.USAGE);
        assertThat(err.toString()).contains("missing the user name");
        assertThat(run("", "--frobnicate", "alice")).isEqualTo(AddUser.USAGE);
        assertThat(err.toString()).contains("unknown option --frobnicate");
        assertThat(run("", "al:ice")).isEqualTo(AddUser.USAGE);
        assertThat(err.toString()).contains("invalid user name");
        assertThat(run("", "--iterations", "10", "alice")).isEqualTo(AddUser.USAGE);
        assertThat(err.toString()).contains("--iterations: 10 is not a whole number from 1000");
        assertThat(run("", "alice", "--users")).isEqualTo(AddUser.USAGE);
        assertThat(err.toString()).contains("--users needs a value");
        assertThat(run("", "alice", "bob")).isEqualTo(AddUser.USAGE);
    }

    @Test
    void helpDescribesTheCommand() {
        assertThat(run("", "--help")).isEqualTo(AddUser.OK);
        assertThat(out.toString()).startsWith("Usage: java -cp plugin-login-auth.jar io.sockethost.plugins.loginauth.AddUser")
                .contains("--password-stdin", "conf/login-auth.users");
    }

    @Test
    void refusesAnEmptyPasswordAndAMissingConsole() {
        Path file = dir.resolve("users");
        assertThat(run("\n", "--users", file.toString(), "--password-stdin", "alice")).isEqualTo(AddUser.FAILED);
        assertThat(err.toString()).contains("the password is empty");
        assertThat(run("", "--users", file.toString(), "alice")).isEqualTo(AddUser.FAILED);
        assertThat(err.toString()).contains("no console").contains("--password-stdin");
        assertThat(file).doesNotExist();
    }

    private int run(String stdin, String... args) {
        out.reset();
        err.reset();
        AddUser command = new AddUser(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null);
        return command.run(args);
    }
}
