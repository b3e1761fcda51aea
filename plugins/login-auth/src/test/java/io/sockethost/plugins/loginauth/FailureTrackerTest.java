package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
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
        assertThat(tracker.recordFailure("alice")).isZero();
        assertThat(tracker.recordFailure("alice")).isZero();
        assertThat(tracker.lockedFor("alice")).isZero();
        assertThat(tracker.recordFailure("alice")).isEqualTo(WINDOW);
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
        tracker.recordFailure("bob");
        tracker.recordFailure("bob");
        advance(MAX.plusSeconds(1));
        assertThat(tracker.recordFailure("bob")).isZero();
    }

    @Test
    void resetForgetsFailuresAndBackoff() {
        assertThat(lockOut("alice")).isEqualTo(WINDOW);
        advance(WINDOW);
        tracker.reset("alice");
        tracker.recordFailure("alice");
        tracker.recordFailure("alice");
        assertThat(tracker.recordFailure("alice")).isEqualTo(WINDOW);
    }

    @Test
    void keysBeyondTheCapacityDropUnlockedKeysButKeepLockouts() {
        FailureTracker small = new FailureTracker(3, WINDOW, MAX, now::get, 10);
        for (int i = 0; i < 3; i++) {
            small.recordFailure("locked");
        }
        for (int i = 0; i < 50; i++) {
            small.recordFailure("guess-" + i);
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
        assertThat(small.lockedFor("locked")).isEqualTo(WINDOW);
    }

    private Duration lockOut(String key) {
        tracker.recordFailure(key);
        tracker.recordFailure(key);
        return tracker.recordFailure(key);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
