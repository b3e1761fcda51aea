package io.sockethost.plugins.loginauth;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts password hash computations and the most that ever ran at once, so that tests can show what an
 * attack costs in hashes rather than guess it from timing. Counting is two atomic updates next to a
 * computation of a tenth of a second or more. Thread-safe.
 */
final class HashMeter {
    private final AtomicLong computed = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void begin() {
        computed.incrementAndGet();
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    void end() {
        running.decrementAndGet();
    }

    /** @return the computations started so far */
    long computed() {
        return computed.get();
    }

    /** @return the most computations that ran at the same time */
    int peak() {
        return peak.get();
    }
}
