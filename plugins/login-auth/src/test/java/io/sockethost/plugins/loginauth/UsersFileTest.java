package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UsersFileTest {
    private static final Path FILE = Path.of("conf/users");

    @TempDir
    Path dir;

    @Test
    void readsUsersSkippingCommentsAndBlankLines() throws Exception {
        List<String> lines = List.of("# users", "", TestUsers.line("alice", "a", 1000), "  ",
                "  " + TestUsers.line("bob", "b", 1000) + "  ");
        var users = UsersFile.parse(FILE, lines);
        assertThat(users).containsOnlyKeys("alice", "bob");
        assertThat(users.get("bob").matches("b".toCharArray())).isTrue();
    }

    @Test
    void aMalformedLineIsReportedWithFileAndLineButNotItsContent() {
        List<String> lines = List.of("# users", TestUsers.line("alice", "a", 1000), "bob:hunter2");
        assertThatThrownBy(() -> UsersFile.parse(FILE, lines))
                .isInstanceOfSatisfying(UsersFileException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.file()).isEqualTo(FILE);
                })
                .hasMessageStartingWith(FILE.toAbsolutePath() + ":3: user bob: ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void badNamesAndDuplicatesAreRefused() {
        String hash = TestUsers.line("x", "x", 1000).substring(2);
        assertThatThrownBy(() -> UsersFile.parse(FILE, List.of("no-colon-here")))
                .hasMessageContaining(":1: expected <name>:");
        assertThatThrownBy(() -> UsersFile.parse(FILE, List.of(":" + hash))).hasMessageContaining(":1: expected <name>:");
        assertThatThrownBy(() -> UsersFile.parse(FILE, List.of("al ice:" + hash))).hasMessageContaining(":1: expected <name>:");
        assertThatThrownBy(() -> UsersFile.parse(FILE, List.of("a:" + hash, "# c", "a:" + hash)))
                .hasMessageContaining(":3: user a is already defined at line 1");
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, new byte[] {'a', ':', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> UsersFile.read(file)).isInstanceOf(UsersFileException.class).hasMessageEndingWith(": not UTF-8 text");
    }

    @Test
    void withUserReplacesOrAppendsAndKeepsEverythingElse() throws Exception {
        String bob = TestUsers.line("bob", "b", 1000);
        List<String> lines = List.of("# mine", TestUsers.line("alice", "a", 1000), "", bob);
        PasswordHash newAlice = PasswordHash.create("a2".toCharArray(), 1000, new SecureRandom());
        List<String> changed = UsersFile.withUser(FILE, lines, "alice", newAlice);
        assertThat(changed).containsExactly("# mine", "alice:" + newAlice.format(), "", bob);
        List<String> added = UsersFile.withUser(FILE, lines, "carol", newAlice);
        assertThat(added).hasSize(5).startsWith(lines.toArray(String[]::new)).endsWith("carol:" + newAlice.format());
        assertThat(UsersFile.withUser(FILE, List.of(), "dave", newAlice)).containsExactly(UsersFile.HEADER,
                "dave:" + newAlice.format());
    }

    @Test
    void writesANewFileForItsOwnerOnlyAndKeepsAnExistingFilesPermissions() throws Exception {
        Path file = dir.resolve("conf/login-auth.users");
        UsersFile.writeAtomically(file, List.of("# one"));
        assertThat(Files.readAllLines(file)).containsExactly("# one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        UsersFile.writeAtomically(file, List.of("# two"));
        assertThat(Files.readAllLines(file)).containsExactly("# two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}
