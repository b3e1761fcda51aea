package io.sockethost.plugins.loginauth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts password attempts per key (a user name, or a client address) and locks a key out after
 * {@code maxFailures} failed ones: the first lockout lasts {@code window}, each further one of the same key
 * twice as long as the one before, up to {@code maxWindow}. A key quiet for {@code maxWindow} is forgotten,
 * and so is its backoff.
 *
 * <p>An attempt is counted <em>before</em> its password is checked: {@link #admit} takes a slot, and only
 * {@code maxFailures} slots exist between lockouts, counting failures and attempts still being checked
 * alike. However many attempts arrive at once, at most {@code maxFailures} of them are checked; the rest are
 * refused without costing a hash. Every admitted attempt ends with exactly one of {@link #fail},
 * {@link #release} or {@link #reset}.
 *
 * <p>Memory is bounded: past {@code capacity} keys, forgotten keys are dropped, then keys that are neither
 * locked nor being checked (losing their partial counts, never a lockout). Thread-safe; each update of a key
 * is atomic.
 */
final class FailureTracker {
    static final int DEFAULT_CAPACITY = 100_000;

    /** The answer to {@link #admit}. */
    sealed interface Admission {
        /** The attempt holds a slot and may be checked. */
        record Admitted() implements Admission {
        }

        /** The key is locked out for {@code remaining}. */
        record LockedOut(Duration remaining) implements Admission {
        }

        /** Every slot is taken by failures and attempts still being checked; a lockout may follow. */
        record Full(int inProgress) implements Admission {
        }
    }

    private static final Admission ADMITTED = new Admission.Admitted();

    /**
     * @param failures failures since the last lockout (or since the key was first seen)
     * @param pending attempts admitted and not yet ended
     * @param lockouts lockouts in a row, for the backoff
     * @param lockedUntil clock value at which the last lockout ends
     * @param lastEvent clock value of the last failure
     * @param startedWindow the lockout the last failure started, in nanoseconds; 0 if it started none
     */
    private record Entry(int failures, int pending, int lockouts, long lockedUntil, long lastEvent, long startedWindow) {
        static final Entry EMPTY = new Entry(0, 0, 0, 0, 0, 0);

        boolean locked(long now) {
            return lockouts > 0 && lockedUntil - now > 0;
        }

        Entry withPending(int newPending) {
            return new Entry(failures, newPending, lockouts, lockedUntil, lastEvent, 0);
        }

        /** @return null when nothing is left worth keeping, which removes the key */
        Entry orNull() {
            return failures == 0 && pending == 0 && lockouts == 0 ? null : this;
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

    /**
     * Takes a slot for one attempt, unless the key is locked out or all its slots are taken. The check and
     * the taking are one atomic step, so simultaneous attempts cannot all pass the check.
     */
    Admission admit(String key) {
        long now = nanoClock.getAsLong();
        Admission[] answer = new Admission[1];
        entries.compute(key, (k, old) -> {
            Entry base = current(old, now);
            if (base.locked(now)) {
                answer[0] = new Admission.LockedOut(Duration.ofNanos(base.lockedUntil() - now));
                return base.orNull();
            }
            if (base.failures() + base.pending() >= maxFailures) {
                answer[0] = new Admission.Full(base.pending());
                return base.orNull();
            }
            answer[0] = ADMITTED;
            return base.withPending(base.pending() + 1);
        });
        if (entries.size() > capacity) {
            prune(now);
        }
        return answer[0];
    }

    /**
     * What {@link #admit} would answer now, without taking a slot: lets a connection whose every attempt
     * would be refused be turned away before it sends one. Only a forecast; {@link #admit} decides.
     */
    Admission peek(String key) {
        long now = nanoClock.getAsLong();
        Entry e = current(entries.get(key), now);
        if (e.locked(now)) {
            return new Admission.LockedOut(Duration.ofNanos(e.lockedUntil() - now));
        }
        return e.failures() + e.pending() >= maxFailures ? new Admission.Full(e.pending()) : ADMITTED;
    }

    /** @return the key's attempts admitted and not yet ended */
    int inProgress(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.pending();
    }

    /**
     * Ends an admitted attempt as a failed password.
     *
     * @return the lockout this failure started, or {@link Duration#ZERO} if it started none
     */
    Duration fail(String key) {
        long now = nanoClock.getAsLong();
        Entry updated = entries.compute(key, (k, old) -> {
            Entry base = current(old, now);
            int pending = Math.max(0, base.pending() - 1);
            int failures = base.failures() + 1;
            if (failures < maxFailures) {
                return new Entry(failures, pending, base.lockouts(), base.lockedUntil(), now, 0);
            }
            int lockouts = base.lockouts() + 1;
            long window = window(lockouts);
            return new Entry(0, pending, lockouts, now + window, now, window);
        });
        return Duration.ofNanos(updated.startedWindow());
    }

    /** Ends an admitted attempt that counts neither way: not checked, or right for a key it does not clear. */
    void release(String key) {
        entries.computeIfPresent(key, (k, old) -> old.withPending(Math.max(0, old.pending() - 1)).orNull());
    }

    /** Ends an admitted attempt that proved the key: forgets its failures and backoff. */
    void reset(String key) {
        entries.computeIfPresent(key, (k, old) -> new Entry(0, Math.max(0, old.pending() - 1), 0, 0, 0, 0).orNull());
    }

    /** @return how much longer the key stays locked out, {@link Duration#ZERO} if it is not */
    Duration lockedFor(String key) {
        Entry e = entries.get(key);
        long now = nanoClock.getAsLong();
        return e != null && e.locked(now) ? Duration.ofNanos(e.lockedUntil() - now) : Duration.ZERO;
    }

    /** A key quiet for the longest window starts afresh, unless attempts of it are still being checked. */
    private Entry current(Entry old, long now) {
        if (old == null || old.pending() == 0 && now - old.lastEvent() > maxWindowNanos) {
            return Entry.EMPTY;
        }
        return old;
    }

    private long window(int lockouts) {
        int doublings = lockouts - 1;
        if (doublings >= 62 || windowNanos > maxWindowNanos >> doublings) {
            return maxWindowNanos;
        }
        return windowNanos << doublings;
    }

    private void prune(long now) {
        entries.values().removeIf(e -> e.pending() == 0 && now - e.lastEvent() > maxWindowNanos);
        if (entries.size() > capacity) {
            // An entry with attempts in progress stays: dropping it would hand out its slots again.
            entries.values().removeIf(e -> e.pending() == 0 && !e.locked(now));
        }
    }

    /** @return how many keys are tracked */
    int size() {
        return entries.size();
    }
}
