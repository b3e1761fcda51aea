package io.sockethost.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sockethost.bench.peer.Kind;
import io.sockethost.bench.scenario.MemoryRow;
import io.sockethost.bench.scenario.ScenarioResult;
import io.sockethost.bench.scenario.StartupRow;
import io.sockethost.bench.scenario.ThroughputRow;

/** The chart of each scenario. */
final class Charts {
    private Charts() {
    }

    static String of(ScenarioResult result) {
        // the sealed interface has these three kinds (a switch on types needs Java 21; the project builds for 17)
        if (result instanceof ScenarioResult.Throughput t) {
            return throughput(t);
        } else if (result instanceof ScenarioResult.Startup s) {
            return startup(s);
        }
        return memory((ScenarioResult.Memory) result);
    }

    private static String throughput(ScenarioResult.Throughput t) {
        List<String> groups = t.points().stream().map(p -> p + (p == 1 ? " connection" : " connections")).toList();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, Boolean> ours = new LinkedHashMap<>();
        for (ThroughputRow row : t.rows()) {
            values.computeIfAbsent(row.server(), k -> new ArrayList<>());
            ours.put(row.server(), row.kind() == Kind.SOCKETHOST);
        }
        for (int point : t.points()) {
            for (String server : values.keySet()) {
                double v = t.rows().stream().filter(r -> r.server().equals(server) && r.connections() == point)
                        .filter(ThroughputRow::ok).mapToDouble(ThroughputRow::rate).findFirst().orElse(Double.NaN);
                values.get(server).add(v);
            }
        }
        return BarChart.svg(t.title(), t.unit(), groups, series(values, ours));
    }

    private static String startup(ScenarioResult.Startup s) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, Boolean> ours = new LinkedHashMap<>();
        for (StartupRow row : s.rows()) {
            values.put(row.server() + (row.runtime().isEmpty() ? "" : " (" + row.runtime() + ")"),
                    List.of(row.ok() ? row.median() : Double.NaN));
            ours.put(row.server() + (row.runtime().isEmpty() ? "" : " (" + row.runtime() + ")"), row.kind() == Kind.SOCKETHOST);
        }
        return BarChart.svg(s.title() + ": process start to first echo (median)", "ms", List.of("start-up"),
                series(values, ours));
    }

    private static String memory(ScenarioResult.Memory m) {
        List<Integer> points = m.rows().stream().flatMap(r -> r.points().stream()).map(MemoryRow.Point::connections)
                .distinct().sorted().toList();
        List<String> groups = new ArrayList<>(List.of("idle"));
        points.forEach(p -> groups.add(String.format(Locale.ROOT, "%,d idle connections", p)));
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, Boolean> ours = new LinkedHashMap<>();
        for (MemoryRow row : m.rows()) {
            List<Double> v = new ArrayList<>();
            v.add(row.ok() ? row.idleMiB() : Double.NaN);
            for (int p : points) {
                v.add(row.points().stream().filter(x -> x.connections() == p && x.held() == p)
                        .mapToDouble(MemoryRow.Point::rssMiB).findFirst().orElse(Double.NaN));
            }
            values.put(row.server(), v);
            ours.put(row.server(), row.kind() == Kind.SOCKETHOST);
        }
        return BarChart.svg(m.title() + ": resident set size", "MiB", groups, series(values, ours));
    }

    private static List<BarChart.Series> series(Map<String, List<Double>> values, Map<String, Boolean> ours) {
        return values.entrySet().stream().map(e -> new BarChart.Series(
                e.getValue().stream().allMatch(v -> v.isNaN()) ? e.getKey() + " (not measured)" : e.getKey(),
                ours.get(e.getKey()), e.getValue())).toList();
    }
}
