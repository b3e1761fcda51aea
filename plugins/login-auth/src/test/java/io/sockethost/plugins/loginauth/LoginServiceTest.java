package io.sockethost.plugins.loginauth;

import static io.sockethost.plugins.loginauth.LoginService.Outcome.ACCEPTED;
import static io.sockethost.plugins.loginauth.LoginService.Outcome.LOCKED_OUT;
import static io.sockethost.plugins.loginauth.LoginService.Outcome.REFUSED;
import static io.sockethost.plugins.loginauth.LoginService.Outcome.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
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
    private final HashPool pool = pool(2);
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final CountDownLatch finish = new CountDownLatch(1);
    private LoginService service;

    @BeforeEach
    void start() throws Exception {
        Path users = TestUsers.write(dir.resolve("users"), "alice", "a", "bob", "b");
        service = new LoginService("test", java.nio.file.Path.of(""),
                new LoginAuthSettings(users.toString(), null, 3, 60.0, null, null, null, null, null), now::get, pool);
    }

    @AfterEach
    void stop() throws InterruptedException {
        finish.countDown();
        clients.shutdownNow();
        assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
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
    void aLockedOutAddressIsRefusedItsConnectionsUntilTheLockoutEnds() {
        assertThat(service.admitsConnection(A)).isTrue();
        service.attempt("alice", A, "x".toCharArray());
        service.attempt("bob", A, "x".toCharArray());
        assertThat(service.admitsConnection(A)).as("two failures of three").isTrue();
        assertThat(service.attempt("mallory", A, "x".toCharArray())).isEqualTo(LOCKED_OUT);

        assertThat(service.admitsConnection(A_OTHER_PORT)).isFalse();
        assertThat(service.admitsConnection(B)).as("another address").isTrue();
        now.addAndGet(60_000_000_000L);
        assertThat(service.admitsConnection(A)).isTrue();
        assertThat(service.attempt("alice", A, "a".toCharArray())).as("the refusals counted nothing").isEqualTo(ACCEPTED);
    }

    @Test
    void anAddressWhoseSlotsAreAllTakenByChecksInProgressIsRefusedItsConnections() throws Exception {
        occupyThePool(2);
        List<Future<LoginService.Outcome>> attempts = new ArrayList<>();
        for (String user : List.of("alice", "bob", "mallory")) {
            attempts.add(clients.submit(() -> service.attempt(user, A, "x".toCharArray())));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.wanting() == 5);

        assertThat(pool.saturated()).isFalse();
        assertThat(service.admitsConnection(A)).as("3 of 3 slots taken by checks waiting their turn").isFalse();
        assertThat(service.admitsConnection(B)).isTrue();
        finish.countDown();
        for (Future<LoginService.Outcome> attempt : attempts) {
            attempt.get(10, TimeUnit.SECONDS);
        }
        assertThat(service.admitsConnection(A)).as("now locked out").isFalse();
    }

    @Test
    void anAddressWithChecksWaitingInAFullHashPoolIsRefusedItsConnections() throws Exception {
        occupyThePool(pool.size() + pool.queueLimit() - 1);
        Future<LoginService.Outcome> attempt = clients.submit(() -> service.attempt("alice", A, "x".toCharArray()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(pool::saturated);

        assertThat(service.admitsConnection(A)).as("its attempt waits in the full queue").isFalse();
        assertThat(service.admitsConnection(B)).as("no attempt of B's waits: B may still try").isTrue();
        finish.countDown();
        assertThat(attempt.get(10, TimeUnit.SECONDS)).isEqualTo(REJECTED);
        assertThat(service.admitsConnection(A)).isTrue();
    }

    /** Fills {@code checks} places of the hash pool (running, then queued) with checks that end at {@link #finish}. */
    private void occupyThePool(int checks) {
        for (int i = 0; i < checks; i++) {
            clients.submit(() -> pool.check(() -> {
                try {
                    return finish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.wanting() == checks);
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
