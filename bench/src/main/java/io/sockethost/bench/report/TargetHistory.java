package io.sockethost.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The targets as each full run judged them, kept in {@code docs/bench/targets-history.json}, so that the report
 * can give every target's range over several runs and how many of them met it: one run on two shared cores
 * moves by 10–30 %, and a target is only met when it holds run after run. Each entry judges only the rows of
 * its own run. Not thread-safe; one run of the bench writes it at a time.
 */
public final class TargetHistory {
    static final String FILE = "targets-history.json";
    /** Runs kept in the file; the report's range covers the last {@link #RANGE_RUNS} that measured a target. */
    static final int KEPT_RUNS = 12;
    static final int RANGE_RUNS = 5;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One run's judgement: what it measured of each target. */
    record Run(String finished, List<Entry> entries) {
        Run {
            entries = List.copyOf(entries);
        }
    }

    /** One target in one run. */
    record Entry(String target, double value, Targets.Unit unit, boolean met) {
    }

    /** A target over the runs that measured it. */
    record Range(int runs, int met, String text) {
    }

    private final List<Run> runs;

    private TargetHistory(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The history in {@code benchDir}, empty when there is none. */
    static TargetHistory read(Path benchDir) throws IOException {
        Path file = benchDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new TargetHistory(List.of());
        }
        return new TargetHistory(JSON.readValue(file.toFile(), new TypeReference<List<Run>>() { }));
    }

    /**
     * Judges the targets on {@code files} (one run's scenario files, and nothing older) and appends the
     * measured ones to the history in {@code benchDir}, keeping the last {@value #KEPT_RUNS} runs.
     *
     * @throws IOException if the history cannot be read or written
     */
    public static void record(Path benchDir, String finished, List<ScenarioFile> files) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Targets.Check check : Targets.evaluate(new Results(files))) {
            if (check.verdict() != Targets.Verdict.NOT_MEASURED) {
                entries.add(new Entry(check.target(), check.value(), check.unit(), check.verdict() == Targets.Verdict.MET));
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        List<Run> all = new ArrayList<>(read(benchDir).runs);
        all.add(new Run(finished, entries));
        List<Run> kept = all.subList(Math.max(0, all.size() - KEPT_RUNS), all.size());
        Files.createDirectories(benchDir);
        JSON.writeValue(benchDir.resolve(FILE).toFile(), kept);
    }

    /** The target over the last {@value #RANGE_RUNS} runs that measured it, if any did. */
    Optional<Range> range(String target) {
        List<Entry> entries = new ArrayList<>();
        for (int i = runs.size() - 1; i >= 0 && entries.size() < RANGE_RUNS; i--) {
            runs.get(i).entries().stream().filter(e -> e.target().equals(target)).findFirst().ifPresent(entries::add);
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        DoubleSummaryStatistics stats = entries.stream().mapToDouble(Entry::value).summaryStatistics();
        int met = (int) entries.stream().filter(Entry::met).count();
        return Optional.of(new Range(entries.size(), met, entries.get(0).unit().range(stats.getMin(), stats.getMax())));
    }
}
