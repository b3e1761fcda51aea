package io.sockethost.bench.load;

import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop schedule of one client thread: request {@code i} is due at {@code start + i * interval},
 * whatever happened to the requests before it. A small thread publishes how many are due and wakes the
 * selector; the client thread sends them and measures each from its due time, so a server that stalls is
 * charged for every request it delayed (no coordinated omission).
 */
final class Pacer implements Runnable {
    private final long start;
    private final long intervalNanos;
    private final Selector selector;
    private final Window window;
    private volatile long due;

    Pacer(long start, double ratePerSecond, Selector selector, Window window) {
        this.start = start;
        this.intervalNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
        this.selector = selector;
        this.window = window;
    }

    /** Requests due so far. */
    long due() {
        return due;
    }

    /** When request {@code index} was due. */
    long dueTime(long index) {
        return start + index * intervalNanos;
    }

    @Override
    public void run() {
        while (!window.stopped()) {
            long now = System.nanoTime();
            long next = dueTime(due);
            if (next > now) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            due = (now - start) / intervalNanos + 1;
            selector.wakeup();
        }
    }
}
