package io.sockethost.bench.scenario;

import java.util.List;

import io.sockethost.bench.peer.Kind;

/** How long one server took from process start to its first correct echo, over several starts, in ms. */
public record StartupRow(String peerId, String server, Kind kind, String runtime, Status status, String note,
                         List<Double> millis) {
    public StartupRow {
        millis = List.copyOf(millis);
    }

    public boolean ok() {
        return status == Status.OK && !millis.isEmpty();
    }

    public double median() {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = millis.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return millis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
