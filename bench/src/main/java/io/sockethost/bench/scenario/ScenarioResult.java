package io.sockethost.bench.scenario;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What one scenario measured, for the JSON, the tables and the charts. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ScenarioResult.Throughput.class, name = "throughput"),
    @JsonSubTypes.Type(value = ScenarioResult.Startup.class, name = "startup"),
    @JsonSubTypes.Type(value = ScenarioResult.Memory.class, name = "memory")
})
public sealed interface ScenarioResult {
    /** The command-line name ("tcp-echo"). */
    String name();

    String title();

    /** What was measured and how, for the report. */
    String description();

    /** Load steps against each server. */
    record Throughput(String name, String title, String description, String unit, List<Integer> points,
                      List<ThroughputRow> rows) implements ScenarioResult {
        public Throughput {
            points = List.copyOf(points);
            rows = List.copyOf(rows);
        }
    }

    /** Start-up times. */
    record Startup(String name, String title, String description, List<StartupRow> rows) implements ScenarioResult {
        public Startup {
            rows = List.copyOf(rows);
        }
    }

    /** Resident memory. */
    record Memory(String name, String title, String description, List<MemoryRow> rows) implements ScenarioResult {
        public Memory {
            rows = List.copyOf(rows);
        }
    }
}
