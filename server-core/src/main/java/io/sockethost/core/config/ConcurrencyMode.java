package io.sockethost.core.config;

/** How a server runs its requests; the descriptor's {@code concurrency.mode}. */
public enum ConcurrencyMode {
    /** One request at a time on the accept thread, as Python's plain servers. */
    SYNC,
    /** A thread per request, at most {@code maxWorkers} at once, as Python's ThreadingMixIn. */
    THREADING,
    /** Handlers in worker processes, as Python's ForkingMixIn. */
    FORKING;

    public String descriptorName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return descriptorName();
    }
}
