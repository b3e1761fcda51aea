package io.sockethost.bench.report;

import java.util.List;
import java.util.Optional;

import io.sockethost.bench.scenario.MemoryRow;
import io.sockethost.bench.scenario.ScenarioResult;
import io.sockethost.bench.scenario.StartupRow;
import io.sockethost.bench.scenario.ThroughputRow;

/** Look-ups across the scenario files of a report. */
final class Results {
    private final List<ScenarioFile> files;

    Results(List<ScenarioFile> files) {
        this.files = List.copyOf(files);
    }

    List<ScenarioFile> files() {
        return files;
    }

    Optional<ThroughputRow> row(String scenario, String peerId, int connections) {
        return files.stream().map(ScenarioFile::result).filter(r -> r.name().equals(scenario))
                .filter(ScenarioResult.Throughput.class::isInstance).map(ScenarioResult.Throughput.class::cast)
                .flatMap(r -> r.rows().stream())
                .filter(r -> r.peerId().equals(peerId) && r.connections() == connections).findFirst();
    }

    Optional<StartupRow> startup(String peerId) {
        return files.stream().map(ScenarioFile::result).filter(ScenarioResult.Startup.class::isInstance)
                .map(ScenarioResult.Startup.class::cast).flatMap(r -> r.rows().stream())
                .filter(r -> r.peerId().equals(peerId)).findFirst();
    }

    Optional<MemoryRow> memory(String peerId) {
        return files.stream().map(ScenarioFile::result).filter(ScenarioResult.Memory.class::isInstance)
                .map(ScenarioResult.Memory.class::cast).flatMap(r -> r.rows().stream())
                .filter(r -> r.peerId().equals(peerId)).findFirst();
    }
}
