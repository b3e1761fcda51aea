package io.sockethost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.sockethost.bench.report.MachineInfo;
import io.sockethost.bench.report.MarkdownReport;
import io.sockethost.bench.report.ScenarioFile;
import io.sockethost.bench.report.TargetHistory;
import io.sockethost.bench.scenario.Context;
import io.sockethost.bench.scenario.Scenario;
import io.sockethost.bench.scenario.Scenarios;

/**
 * Runs scenarios one after the other and writes their results: {@code <out>/bench/<scenario>.json} as each
 * one finishes, then {@code <out>/BENCHMARKS.md} and the charts from every scenario file in that folder (so
 * that a run of one scenario updates its part of the report and keeps the others).
 */
public final class Bench {
    private Bench() {
    }

    /**
     * @param names the scenarios to run, or empty for all
     * @param out the report folder, or null to write nothing
     * @return the results of this run
     */
    public static List<ScenarioFile> run(Settings settings, Environment env, List<String> names, Path out,
                                         PrintStream progress) throws IOException, InterruptedException {
        return run(settings, env, names, java.util.Set.of(), out, progress);
    }

    /** @param servers the server ids to run, or empty for all */
    public static List<ScenarioFile> run(Settings settings, Environment env, List<String> names,
                                         java.util.Set<String> servers, Path out, PrintStream progress)
            throws IOException, InterruptedException {
        Context context = Context.of(env, settings, progress);
        MachineInfo machine = MachineInfo.collect(context);
        List<ScenarioFile> files = new ArrayList<>();
        long started = System.nanoTime();
        for (Scenario scenario : Scenarios.all(settings.profile(), servers)) {
            if (!names.isEmpty() && !names.contains(scenario.name())) {
                continue;
            }
            context.log("%s", scenario.name());
            ScenarioFile file = new ScenarioFile(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
                    settings.profile().name(), seconds(settings.serverWarmup()), seconds(settings.warmup()),
                    seconds(settings.duration()),
                    settings.clientThreads(), settings.fixedRate(), machine, scenario.run(context));
            files.add(file);
            if (out != null) {
                file.write(out.resolve("bench"));
            }
        }
        if (out != null) {
            if (settings.profile() == Profile.FULL) {
                TargetHistory.record(out.resolve("bench"), OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
                        files);
            }
            Path report = MarkdownReport.write(ScenarioFile.readAll(out.resolve("bench"), Scenarios.names()), out);
            context.log("wrote %s and %s in %d s", report, out.resolve("bench"),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
        return files;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
