package io.sockethost.plugins.loginauth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides which refused password attempts get a log line: the first from a client address, then at most one a
 * minute per address, which says how many were refused unlogged since. During a lockout every guess an
 * attacker sends is refused unchecked; a line each would let the attack fill the disk (a soak of a million
 * requests wrote 50,000 of them). Failed checks need no such bound: the lockout already limits them. Holds at
 * most {@value #MAX_ADDRESSES} addresses and forgets them all when full, which only lets a few lines more
 * through. Thread-safe.
 */
final class RefusalLog {
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_ADDRESSES = 10_000;
    /** {@link #admit} result: do not log this refusal. */
    static final int QUIET = -1;

    private record Window(long startNanos, int unlogged) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    RefusalLog(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Counts a refusal from {@code address}.
     *
     * @return {@link #QUIET} if it is not to be logged, else how many refusals from the address went unlogged
     *     before it
     */
    int admit(String address) {
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
            windows.clear();
        }
        int[] result = {QUIET};
        windows.compute(address, (key, window) -> {
            long now = nanoClock.getAsLong();
            if (window == null || now - window.startNanos() >= INTERVAL_NANOS) {
                result[0] = window == null ? 0 : window.unlogged();
                return new Window(now, 0);
            }
            return new Window(window.startNanos(), window.unlogged() + 1);
        });
        return result[0];
    }
}
