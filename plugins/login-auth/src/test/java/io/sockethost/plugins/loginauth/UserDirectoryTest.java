package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UserDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileMeansNoUsers() {
        UserDirectory users = new UserDirectory("test", dir.resolve("absent.users"));
        assertThat(users.exists("alice")).isFalse();
        assertThat(users.verify("alice", "".toCharArray())).isFalse();
        assertThat(users.problem()).isNull();
    }

    @Test
    void readsTheFileAgainWhenItChanges() throws Exception {
        Path file = TestUsers.write(dir.resolve("users"), "alice", "a");
        UserDirectory users = new UserDirectory("test", file);
        assertThat(users.verify("alice", "a".toCharArray())).isTrue();
        assertThat(users.exists("bob")).isFalse();

        TestUsers.write(file, "alice", "a2", "bob", "b");
        assertThat(users.exists("bob")).isTrue();
        assertThat(users.verify("alice", "a".toCharArray())).isFalse();
        assertThat(users.verify("alice", "a2".toCharArray())).isTrue();

        Files.delete(file);
        assertThat(users.exists("alice")).isFalse();
        TestUsers.write(file, "carol", "c");
        assertThat(users.verify("carol", "c".toCharArray())).isTrue();
    }

    @Test
    void aMalformedFileIsReportedWithFileAndLineAndTheLastGoodUsersStay() throws Exception {
        Path file = TestUsers.write(dir.resolve("users"), "alice", "a");
        UserDirectory users = new UserDirectory("test", file);
        assertThat(users.verify("alice", "a".toCharArray())).isTrue();

        List<String> lines = Files.readAllLines(file);
        lines.add("bob:oops");
        UsersFile.writeAtomically(file, lines);
        assertThat(users.verify("alice", "a".toCharArray())).isTrue();
        assertThat(users.exists("bob")).isFalse();
        assertThat(users.problem()).isEqualTo(file.toAbsolutePath() + ":3: user bob: expected "
                + "pbkdf2-sha256:<iterations>:<salt>:<hash>, found 1 fields");

        TestUsers.write(file, "bob", "b");
        assertThat(users.exists("alice")).isFalse();
        assertThat(users.problem()).isNull();
        assertThat(users.verify("bob", "b".toCharArray())).isTrue();
    }

    @Test
    void unknownUsersAreCheckedAgainstAStandInAsCostlyAsMostUsers() throws Exception {
        Path file = dir.resolve("users");
        UsersFile.writeAtomically(file, List.of(TestUsers.line("a", "x", 1000), TestUsers.line("b", "x", 2000),
                TestUsers.line("c", "x", 2000)));
        UserDirectory.Users users = new UserDirectory("test", file).current();
        assertThat(users.standIn().iterations()).isEqualTo(2000);
        assertThat(new UserDirectory("test", dir.resolve("none")).current().standIn().iterations())
                .isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
    }
}
