package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.sockethost.plugins.loginauth.FailureTracker.Admission;
import org.junit.jupiter.api.Timeout;

/** The lockout rules, on a clock the test moves by hand. */
@Timeout(60)
class FailureTrackerTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration MAX = Duration.ofSeconds(200);

    // Starts below zero: System.nanoTime may be negative, and the tracker must not care.
    private final AtomicLong now = new AtomicLong(-5_000_000_000L);
    private final FailureTracker tracker = new FailureTracker(3, WINDOW, MAX, now::get, 1000);

    @Test
    void locksAKeyOutAfterMaxFailuresForTheWindow() {
        assertThat(failure(tracker, "alice")).isZero();
        assertThat(failure(tracker, "alice")).isZero();
        assertThat(tracker.lockedFor("alice")).isZero();
        assertThat(failure(tracker, "alice")).isEqualTo(WINDOW);
        assertThat(tracker.lockedFor("alice")).isEqualTo(WINDOW);
        assertThat(tracker.lockedFor("bob")).isZero();
        advance(Duration.ofSeconds(59));
        assertThat(tracker.lockedFor("alice")).isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        assertThat(tracker.lockedFor("alice")).isZero();
    }

    @Test
    void eachLockoutInARowDoublesUpToTheMaximum() {
        assertThat(lockOut("alice")).isEqualTo(WINDOW);
        advance(WINDOW);
        assertThat(lockOut("alice")).isEqualTo(WINDOW.multipliedBy(2));
        advance(WINDOW.multipliedBy(2));
        assertThat(lockOut("alice")).isEqualTo(MAX);
        advance(MAX);
        assertThat(lockOut("alice")).isEqualTo(MAX);
    }

    @Test
    void aQuietKeyIsForgottenWithItsBackoff() {
        assertThat(lockOut("alice")).isEqualTo(WINDOW);
        advance(MAX.plusSeconds(1));
        assertThat(lockOut("alice")).isEqualTo(WINDOW);
        failure(tracker, "bob");
        failure(tracker, "bob");
        advance(MAX.plusSeconds(1));
        assertThat(failure(tracker, "bob")).isZero();
    }

    @Test
    void resetForgetsFailuresAndBackoff() {
        assertThat(lockOut("alice")).isEqualTo(WINDOW);
        advance(WINDOW);
        tracker.reset("alice");
        failure(tracker, "alice");
        failure(tracker, "alice");
        assertThat(failure(tracker, "alice")).isEqualTo(WINDOW);
    }

    @Test
    void keysBeyondTheCapacityDropUnlockedKeysButKeepLockouts() {
        FailureTracker small = new FailureTracker(3, WINDOW, MAX, now::get, 10);
        for (int i = 0; i < 3; i++) {
            failure(small, "locked");
        }
        for (int i = 0; i < 50; i++) {
            failure(small, "guess-" + i);
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
        assertThat(small.lockedFor("locked")).isEqualTo(WINDOW);
    }

    @Test
    void simultaneousAttemptsTakeAtMostMaxFailuresSlots() throws Exception {
        int threads = 50;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Admission>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return tracker.admit("alice");
                }));
            }
            int admitted = 0;
            for (Future<Admission> answer : answers) {
                admitted += answer.get(10, TimeUnit.SECONDS) instanceof Admission.Admitted ? 1 : 0;
            }
            assertThat(admitted).as("slots handed out to 50 attempts at once").isEqualTo(3);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void attemptsInProgressCountTowardsTheLimitAndFreeTheirSlotWhenTheyEndWithoutFailing() {
        assertThat(tracker.admit("alice")).isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.admit("alice")).isInstanceOf(Admission.Admitted.class);
        assertThat(failure(tracker, "alice")).isZero();
        assertThat(tracker.admit("alice")).isEqualTo(new Admission.Full(2));
        tracker.release("alice");
        assertThat(tracker.admit("alice")).as("a released slot is free again").isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.fail("alice")).isZero();
        assertThat(tracker.fail("alice")).as("the third failure").isEqualTo(WINDOW);
        assertThat(tracker.admit("alice")).isEqualTo(new Admission.LockedOut(WINDOW));
    }

    @Test
    void aResetKeepsTheSlotsOfOtherAttemptsInProgress() {
        tracker.admit("alice");
        tracker.admit("alice");
        tracker.admit("alice");
        tracker.reset("alice");
        assertThat(tracker.admit("alice")).isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.admit("alice")).as("two still being checked, one just taken").isEqualTo(new Admission.Full(3));
        tracker.release("alice");
        tracker.release("alice");
        tracker.release("alice");
        assertThat(tracker.size()).as("nothing left to remember").isZero();
    }

    @Test
    void keysWithAttemptsInProgressSurviveTheCapacityLimit() {
        FailureTracker small = new FailureTracker(3, WINDOW, MAX, now::get, 10);
        small.admit("checking");
        small.admit("checking");
        small.admit("checking");
        for (int i = 0; i < 50; i++) {
            failure(small, "guess-" + i);
        }
        assertThat(small.admit("checking")).isEqualTo(new Admission.Full(3));
    }

    @Test
    void peekForecastsAdmitWithoutTakingASlot() {
        for (int i = 0; i < 10; i++) {
            assertThat(tracker.peek("alice")).isInstanceOf(Admission.Admitted.class);
        }
        tracker.admit("alice");
        tracker.admit("alice");
        assertThat(tracker.inProgress("alice")).isEqualTo(2);
        assertThat(tracker.peek("alice")).as("one slot left").isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.admit("alice")).as("the peeks took none").isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.peek("alice")).isEqualTo(new Admission.Full(3));
        tracker.fail("alice");
        tracker.fail("alice");
        tracker.fail("alice");
        assertThat(tracker.inProgress("alice")).isZero();
        assertThat(tracker.peek("alice")).isEqualTo(new Admission.LockedOut(WINDOW));
        advance(WINDOW);
        assertThat(tracker.peek("alice")).isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.peek("bob")).isInstanceOf(Admission.Admitted.class);
        assertThat(tracker.size()).as("a peek remembers nothing").isEqualTo(1);
    }

    /** An attempt that is admitted and fails. */
    private static Duration failure(FailureTracker tracker, String key) {
        assertThat(tracker.admit(key)).isInstanceOf(Admission.Admitted.class);
        return tracker.fail(key);
    }

    private Duration lockOut(String key) {
        failure(tracker, key);
        failure(tracker, key);
        return failure(tracker, key);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
