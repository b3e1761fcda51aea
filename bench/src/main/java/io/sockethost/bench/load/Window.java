package io.sockethost.bench.load;

/**
 * The measured interval of a step, shared by the client threads: results completing inside
 * [start, end) are recorded. Written by the controlling thread before workers start; {@code stopped} is
 * set once, when the step ends.
 */
final class Window {
    final long start;
    final long end;
    private volatile boolean stopped;

    Window(long start, long end) {
        this.start = start;
        this.end = end;
    }

    boolean measuring(long nanoTime) {
        return nanoTime >= start && nanoTime < end;
    }

    boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }
}
