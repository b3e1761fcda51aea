package io.sockethost.plugins.loginauth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed passwords per key (a user name, or a client address) and locks a key out after
 * {@code maxFailures} of them: the first lockout lasts {@code window}, each further one of the same key
 * twice as long as the one before, up to {@code maxWindow}. A key quiet for {@code maxWindow} is forgotten,
 * and so is its backoff.
 *
 * <p>Memory is bounded: past {@code capacity} keys, forgotten keys are dropped, then keys that are not
 * locked (losing their partial counts, never a lockout). Thread-safe; updates of one key are atomic.
 */
final class FailureTracker {
    static final int DEFAULT_CAPACITY = 100_000;

    /**
     * @param failures failures since the last lockout (or since the key was first seen)
     * @param lockouts lockouts in a row, for the backoff
     * @param lockedUntil clock value at which the last lockout ends
     * @param lastEvent clock value of the last failure
     * @param startedWindow the lockout this failure started, in nanoseconds; 0 if it started none
     */
    private record Entry(int failures, int lockouts, long lockedUntil, long lastEvent, long startedWindow) {
        static final Entry EMPTY = new Entry(0, 0, 0, 0, 0);

        boolean locked(long now) {
            return lockouts > 0 && lockedUntil - now > 0;
        }
    }

    private final int maxFailures;
    private final long windowNanos;
    private final long maxWindowNanos;
    private final LongSupplier nanoClock;
    private final int capacity;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    FailureTracker(int maxFailures, Duration window, Duration maxWindow, LongSupplier nanoClock, int capacity) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.maxWindowNanos = Math.max(maxWindow.toNanos(), windowNanos);
        this.nanoClock = nanoClock;
        this.capacity = capacity;
    }

    /** @return how much longer the key stays locked out, {@link Duration#ZERO} if it is not */
    Duration lockedFor(String key) {
        Entry e = entries.get(key);
        long now = nanoClock.getAsLong();
        return e != null && e.locked(now) ? Duration.ofNanos(e.lockedUntil() - now) : Duration.ZERO;
    }

    /**
     * Counts one failed password for the key.
     *
     * @return the lockout this failure started, or {@link Duration#ZERO} if it started none
     */
    Duration recordFailure(String key) {
        long now = nanoClock.getAsLong();
        Entry updated = entries.compute(key, (k, old) -> {
            Entry base = old == null || now - old.lastEvent() > maxWindowNanos ? Entry.EMPTY : old;
            int failures = base.failures() + 1;
            if (failures < maxFailures) {
                return new Entry(failures, base.lockouts(), base.lockedUntil(), now, 0);
            }
            int lockouts = base.lockouts() + 1;
            long window = window(lockouts);
            return new Entry(0, lockouts, now + window, now, window);
        });
        if (entries.size() > capacity) {
            prune(now);
        }
        return Duration.ofNanos(updated.startedWindow());
    }

    /** Forgets the key's failures and backoff, after it proved itself. */
    void reset(String key) {
        entries.remove(key);
    }

    private long window(int lockouts) {
        int doublings = lockouts - 1;
        if (doublings >= 62 || windowNanos > maxWindowNanos >> doublings) {
            return maxWindowNanos;
        }
        return windowNanos << doublings;
    }

    private void prune(long now) {
        entries.values().removeIf(e -> now - e.lastEvent() > maxWindowNanos);
        if (entries.size() > capacity) {
            entries.values().removeIf(e -> !e.locked(now));
        }
    }

    /** @return how many keys are tracked */
    int size() {
        return entries.size();
    }
}
