package io.sockethost.core.server;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * One log line per interval for an event that can repeat thousands of times a second (a flood of refused
 * connections), counting the occurrences the interval swallowed. Thread-safe and lock-free: the first
 * caller after the interval writes the line.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextLine = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, java.time.Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs at INFO if the last line is an interval old, else counts the event for the next line. */
    void info(String format, Object... arguments) {
        long now = System.nanoTime();
        long due = nextLine.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && nextLine.compareAndSet(due, now + intervalNanos)) {
            long more = suppressed.getAndSet(0);
            if (more > 0) {
                log.info(format + " (and {} more since the last such line)", append(arguments, more));
            } else {
                log.info(format, arguments);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }

    private static Object[] append(Object[] arguments, Object last) {
        Object[] all = java.util.Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = last;
        return all;
    }
}
