package io.sockethost.plugins.loginauth;

import static io.sockethost.plugins.loginauth.LoginService.Outcome.ACCEPTED;
import static io.sockethost.plugins.loginauth.LoginService.Outcome.LOCKED_OUT;
import static io.sockethost.plugins.loginauth.LoginService.Outcome.REFUSED;
import static io.sockethost.plugins.loginauth.LoginService.Outcome.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The password-attempt policy, with real users files and a clock the test moves. */
@Timeout(60)
class LoginServiceTest {
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress A_OTHER_PORT = new InetSocketAddress("192.0.2.1", 40001);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 40000);
    private static final InetSocketAddress C = new InetSocketAddress("192.0.2.3", 40000);

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();
    private LoginService service;

    @BeforeEach
    void start() throws Exception {
        Path users = TestUsers.write(dir.resolve("users"), "alice", "a", "bob", "b");
        service = new LoginService("test", java.nio.file.Path.of(""),
                new LoginAuthSettings(users.toString(), null, 3, 60.0, null, null, null, null, null), now::get, pool(2));
    }

    @Test
    void wrongPasswordsLockOutTheUserAndTheAddressUntilTheWindowPasses() {
        assertThat(service.attempt("alice", A, "x".toCharArray())).isEqualTo(REJECTED);
        assertThat(service.attempt("alice", A_OTHER_PORT, "x".toCharArray())).isEqualTo(REJECTED);
        assertThat(service.attempt("alice", A, "x".toCharArray())).isEqualTo(LOCKED_OUT);

        assertThat(service.attempt("alice", A, "a".toCharArray())).as("right password, locked").isEqualTo(REFUSED);
        assertThat(service.attempt("alice", B, "a".toCharArray())).as("the user is locked from anywhere").isEqualTo(REFUSED);
        assertThat(service.attempt("bob", A, "b".toCharArray())).as("the address is locked for anyone").isEqualTo(REFUSED);
        assertThat(service.attempt("bob", C, "b".toCharArray())).isEqualTo(ACCEPTED);

        now.addAndGet(59_000_000_000L);
        assertThat(service.attempt("alice", B, "a".toCharArray())).isEqualTo(REFUSED);
        now.addAndGet(1_000_000_000L);
        assertThat(service.attempt("alice", A, "a".toCharArray())).isEqualTo(ACCEPTED);
    }

    @Test
    void unknownUsersAreLockedOutLikeKnownOnes() {
        assertThat(service.attempt("mallory", A, "x".toCharArray())).isEqualTo(REJECTED);
        assertThat(service.attempt("mallory", B, "x".toCharArray())).isEqualTo(REJECTED);
        assertThat(service.attempt("mallory", C, "x".toCharArray())).isEqualTo(LOCKED_OUT);
        assertThat(service.attempt("mallory", C, "x".toCharArray())).isEqualTo(REFUSED);
    }

    @Test
    void successClearsTheUsersFailuresButNotTheAddresss() {
        service.attempt("alice", A, "x".toCharArray());
        service.attempt("alice", A, "x".toCharArray());
        assertThat(service.attempt("alice", A, "a".toCharArray())).isEqualTo(ACCEPTED);
        assertThat(service.attempt("alice", B, "x".toCharArray())).isEqualTo(REJECTED);
        assertThat(service.attempt("bob", A, "x".toCharArray())).as("A's third failure").isEqualTo(LOCKED_OUT);
    }

    @Test
    void aRefusedAttemptLeavesTheCountsAsTheyWere() {
        service.attempt("alice", A, "x".toCharArray());
        service.attempt("alice", A, "x".toCharArray());
        service.attempt("alice", A, "x".toCharArray());
        assertThat(service.attempt("bob", A, "b".toCharArray())).as("the address is locked").isEqualTo(REFUSED);
        assertThat(service.attempt("bob", B, "x".toCharArray())).as("bob's refusal above was not counted")
                .isEqualTo(REJECTED);
        assertThat(service.attempt("bob", B, "x".toCharArray())).isEqualTo(REJECTED);
        assertThat(service.attempt("bob", C, "x".toCharArray())).isEqualTo(LOCKED_OUT);
    }

    @Test
    void knowsOnlyTheUsersInTheFile() {
        assertThat(service.knows("alice")).isTrue();
        assertThat(service.knows("mallory")).isFalse();
    }

    private static HashPool pool(int size) {
        HashPool pool = new HashPool();
        pool.limitTo(size, "test");
        return pool;
    }

    @Test
    void countsIpv4ByAddressAndIpv6ByItsSlash64() {
        assertThat(LoginService.addressKey(A)).isEqualTo("192.0.2.1");
        assertThat(LoginService.addressKey(new InetSocketAddress("2001:db8:1:2:3:4:5:6", 1)))
                .isEqualTo(LoginService.addressKey(new InetSocketAddress("2001:db8:1:2:ffff::1", 2)))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    }
}
