package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password check must not tell an unknown user from a known one by its duration. The two kinds of check
 * are interleaved, so that load from elsewhere on the machine falls on both alike.
 */
@Timeout(120)
class PasswordCheckTimingTest {
    private static final int TRIES = 200;
    private static final int ITERATIONS = 20_000;

    @TempDir
    Path dir;

    @Test
    void anUnknownUserTakesAsLongAsAKnownUserWithAWrongPassword() throws Exception {
        Path file = dir.resolve("users");
        UsersFile.writeAtomically(file, List.of(TestUsers.line("alice", "right", ITERATIONS),
                TestUsers.line("bob", "other", ITERATIONS)));
        UserDirectory users = new UserDirectory("timing", file);
        char[] wrong = "wrong-password".toCharArray();
        for (int i = 0; i < 30; i++) {
            users.verify("alice", wrong);
            users.verify("mallory", wrong);
        }
        long[] known = new long[TRIES];
        long[] unknown = new long[TRIES];
        for (int i = 0; i < TRIES; i++) {
            if (i % 2 == 0) {
                known[i] = timed(users, "alice", wrong);
                unknown[i] = timed(users, "mallory", wrong);
            } else {
                unknown[i] = timed(users, "mallory", wrong);
                known[i] = timed(users, "alice", wrong);
            }
        }
        double knownMean = Arrays.stream(known).average().orElseThrow();
        double unknownMean = Arrays.stream(unknown).average().orElseThrow();
        double difference = Math.abs(knownMean - unknownMean) / Math.max(knownMean, unknownMean);
        assertThat(difference)
                .as("known user %.3f ms, unknown user %.3f ms", knownMean / 1e6, unknownMean / 1e6)
                .isLessThan(0.20);
    }

    private static long timed(UserDirectory users, String name, char[] password) {
        long start = System.nanoTime();
        boolean accepted = users.verify(name, password);
        long elapsed = System.nanoTime() - start;
        assertThat(accepted).isFalse();
        return elapsed;
    }
}
