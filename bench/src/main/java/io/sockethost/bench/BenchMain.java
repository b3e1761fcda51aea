package io.sockethost.bench;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.sockethost.bench.report.MarkdownReport;
import io.sockethost.bench.report.ScenarioFile;
import io.sockethost.bench.scenario.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar bench/target/bench.jar}: runs the benchmark and writes the report. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = io.sockethost.bench.soak.SoakCommand.class,
        description = {"Measures sockethost beside Python's socketserver, Netty, the JDK HttpServer and nginx, "
                + "each started as a process of its own, and writes BENCHMARKS.md, bench/*.json and bench/*.svg."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the run finished (skipped rows are not failures)",
            "1:the harness failed", "2:usage error"})
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: docs; 'none' writes nothing).")
    String out = "docs";

    @Option(names = "--quick", description = "1-second points, fewer connection counts, sockethost threading and the peers the "
            + "targets name: about a minute on 2 shared cores.")
    boolean quick;

    @Option(names = "--smoke", hidden = true, description = "sockethost alone, for the test suite.")
    boolean smoke;

    @Option(names = "--scenario", paramLabel = "NAME", description = "Run only this scenario (repeatable): ${COMPLETION-CANDIDATES}",
            completionCandidates = ScenarioNames.class)
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Length of each measured point (default: 5, quick: 1).")
    Double duration;

    @Option(names = "--client-threads", paramLabel = "N", description = "Load client threads per step (default: 2).")
    Integer clientThreads;

    @Option(names = "--rate", paramLabel = "REQ_PER_S", description = "Rate of the fixed-rate scenario (default: 20000).")
    Double rate;

    @Option(names = "--java21", paramLabel = "JDK", description = "A JDK 21+ folder for the virtual-thread rows "
            + "(default: this JVM if 21+, else the newest under /usr/lib/jvm).")
    Path java21;

    @Option(names = "--no-wrk", description = "Use the harness's HTTP/1.1 client even where wrk is installed.")
    boolean noWrk;

    @Option(names = "--host-lib", paramLabel = "DIR", description = "The host's class path folder (default: host-lib beside bench.jar).")
    Path hostLib;

    @Option(names = "--repo", paramLabel = "DIR", description = "Source tree whose plugins/*/target jars are run "
            + "(default: two folders above bench.jar).")
    Path repo;

    @Option(names = "--server", paramLabel = "ID", description = "Run only this server (repeatable; ids: see --list).")
    List<String> servers = new ArrayList<>();

    @Option(names = "--host-jvm-option", paramLabel = "OPTION", description = "An extra option for the sockethost JVMs "
            + "(repeatable), e.g. -XX:StartFlightRecording=filename=host.jfr to profile the host under load.")
    List<String> hostJvmOptions = new ArrayList<>();

    @Option(names = "--report-only", description = "Rebuild BENCHMARKS.md and the charts from the JSON files in "
            + "<out>/bench without measuring (after editing the performance notes, say).")
    boolean reportOnly;

    @Option(names = "--list", description = "List the scenarios and the server ids, and exit.")
    boolean list;

    /** Scenario names for the help text. */
    static final class ScenarioNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ScenarioNames() {
            super(Scenarios.names());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            System.out.println("scenarios: " + String.join(", ", Scenarios.names()));
            System.out.println("servers:   " + String.join(", ", Scenarios.serverIds()));
            return 0;
        }
        for (String name : scenarios) {
            if (!Scenarios.names().contains(name)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown scenario " + name + "; known: " + String.join(", ", Scenarios.names()));
            }
        }
        if (reportOnly) {
            Path dir = Path.of(out);
            System.out.println("wrote " + MarkdownReport.write(ScenarioFile.readAll(dir.resolve("bench"), Scenarios.names()), dir));
            return 0;
        }
        Profile profile = smoke ? Profile.SMOKE : quick ? Profile.QUICK : Profile.FULL;
        Settings settings = Settings.of(profile);
        if (duration != null) {
            settings = settings.withDuration(Duration.ofMillis(Math.round(duration * 1000)));
        }
        if (clientThreads != null) {
            settings = settings.withClientThreads(clientThreads);
        }
        if (rate != null) {
            settings = settings.withFixedRate(rate);
        }
        Path target = codeLocation().getParent();
        Path lib = hostLib != null ? hostLib : target.resolve("host-lib");
        Path tree = repo != null ? repo : target.getParent().getParent();
        try (Environment prepared = Environment.prepare(lib, tree, java21, !noWrk)) {
            Environment env = prepared.withHostJvmOptions(hostJvmOptions);
            System.out.println("bench: " + profile.name().toLowerCase(java.util.Locale.ROOT) + " run, plugins: "
                    + env.pluginJars().stream().map(p -> p.getFileName().toString()).toList());
            Bench.run(settings, env, scenarios, java.util.Set.copyOf(servers), out.equals("none") ? null : Path.of(out),
                    System.out);
        }
        return 0;
    }

    /** bench/target/bench.jar, or bench/target/classes when run from the build tree. */
    private static Path codeLocation() throws URISyntaxException {
        return Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    }
}
