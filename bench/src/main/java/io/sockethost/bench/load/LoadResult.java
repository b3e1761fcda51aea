package io.sockethost.bench.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one load step measured.
 *
 * @param completed requests (or connections) completed inside the measured window
 * @param seconds length of the measured window
 * @param errors error counts by kind over the whole step, warm-up included
 * @param latency latency percentiles of the completed requests
 * @param client which client produced the figures ("sockethost-bench" or "wrk")
 */
public record LoadResult(long completed, double seconds, Map<String, Long> errors, Latency latency, String client) {
    public LoadResult {
        errors = Map.copyOf(new TreeMap<>(errors));
    }

    public double rate() {
        return seconds > 0 ? completed / seconds : 0;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
