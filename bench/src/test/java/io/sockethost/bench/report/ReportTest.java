package io.sockethost.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.bench.load.Latency;
import io.sockethost.bench.load.LoadResult;
import io.sockethost.bench.peer.Kind;
import io.sockethost.bench.scenario.Cpu;
import io.sockethost.bench.scenario.MemoryRow;
import io.sockethost.bench.scenario.ScenarioResult;
import io.sockethost.bench.scenario.Status;
import io.sockethost.bench.scenario.ThroughputRow;

/** The report from hand-made results: targets judged from the rows, files written and read back. */
class ReportTest {
    private static final MachineInfo MACHINE = new MachineInfo(2, "test cpu", "1 GiB", "test os", "test kernel", "17",
            "25", "Python 3.11", "nginx/1.22", "wrk 4", "4.1", List.of(0.5, 0.4, 0.3));

    private static ThroughputRow row(String id, Kind kind, int connections, long completed, double p99Micros) {
        LoadResult result = new LoadResult(completed, 1.0, Map.of(), new Latency(10, 20, p99Micros, p99Micros, p99Micros, 15),
                "sockethost-bench");
        return new ThroughputRow(id, id, kind, "JDK 17", connections, Status.OK, "", result, new Cpu(50, 50, 0));
    }

    private static ThroughputRow skipped(String id, int connections, String why) {
        return new ThroughputRow(id, id, Kind.SOCKETHOST, "JDK 17", connections, Status.SKIPPED, why, null, Cpu.UNKNOWN);
    }

    private static ScenarioFile file(ScenarioResult result) {
        return new ScenarioFile("2026-01-01T00:00:00Z", "QUICK", 1, 0.5, 1, 2, 20_000, MACHINE, result);
    }

    private static ScenarioFile tcpEcho() {
        return file(new ScenarioResult.Throughput("tcp-echo", "1. TCP echo", "test", "req/s", List.of(16, 128), List.of(
                row("sockethost-threading", Kind.SOCKETHOST, 16, 120_000, 500),
                row("netty", Kind.PEER, 16, 100_000, 900),
                row("sockethost-threading", Kind.SOCKETHOST, 128, 90_000, 2_000),
                row("netty", Kind.PEER, 128, 100_000, 1_000),
                row("python-threading", Kind.PEER, 128, 20_000, 9_000),
                skipped("sockethost-forking", 16, "the host does not offer this mode yet"))));
    }

    private static Targets.Check check(List<Targets.Check> checks, String target) {
        return checks.stream().filter(c -> c.target().equals(target)).findFirst().orElseThrow();
    }

    @Test
    void targetsAreJudgedOnTheRowsOfTheSameRun() {
        List<Targets.Check> checks = Targets.evaluate(new Results(List.of(tcpEcho())));

        assertThat(check(checks, "TCP echo, 16 conns: threading (Java 17) ≥ 1.0× Netty req/s").verdict()).isEqualTo(Targets.Verdict.MET);
        assertThat(check(checks, "TCP echo, 16 conns: threading (Java 17) p99 ≤ Netty's").verdict()).isEqualTo(Targets.Verdict.MET);
        assertThat(check(checks, "TCP echo, 128 conns: threading (Java 17) ≥ 1.0× Netty req/s").verdict()).isEqualTo(Targets.Verdict.NOT_MET);
        assertThat(check(checks, "TCP echo, 128 conns: threading (Java 17) p99 ≤ Netty's").verdict()).isEqualTo(Targets.Verdict.NOT_MET);
        assertThat(check(checks, "TCP echo, 128 conns: threading (Java 17) ≥ 4× Python ThreadingTCPServer"))
                .satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Targets.Verdict.MET);
                    assertThat(c.measured()).startsWith("4.50×");
                });
        assertThat(check(checks, "TCP echo, 16 conns: forking ≥ 1× Python ForkingTCPServer req/s"))
                .satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
                    assertThat(c.measured()).contains("does not offer this mode yet");
                });
        assertThat(check(checks, "TCP echo, 128 conns: threading (Java 17) p99 ≤ Netty's").measured())
                .isEqualTo("2.00× (2.000 ms vs 1.000 ms)");
        assertThat(check(checks, "Resident memory idle, threading (Java 25, virtual threads) ≤ 0.75× Netty's echo").verdict())
                .isEqualTo(Targets.Verdict.NOT_MEASURED);
    }

    @Test
    void memoryTargetsAreRatiosToNettysOnJava25() {
        ScenarioFile memory = file(new ScenarioResult.Memory("memory", "6. Memory", "test", List.of(
                new MemoryRow("sockethost-virtual", "sockethost threading, virtual threads", Kind.SOCKETHOST, "JDK 25",
                        Status.OK, "", 60, List.of(new MemoryRow.Point(1_000, 1_000, 80), new MemoryRow.Point(10_000, 10_000, 160))),
                new MemoryRow("netty", "Netty", Kind.PEER, "JDK 17", Status.OK, "", 100,
                        List.of(new MemoryRow.Point(10_000, 10_000, 150))))));

        List<Targets.Check> checks = Targets.evaluate(new Results(List.of(memory)));

        String mode = "threading (Java 25, virtual threads)";
        assertThat(check(checks, "Resident memory idle, " + mode + " ≤ 0.75× Netty's echo"))
                .satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Targets.Verdict.MET);
                    assertThat(c.measured()).isEqualTo("0.60× (60.0 vs 100.0 MiB)");
                });
        assertThat(check(checks, "MiB per 1,000 idle connections, " + mode + " ≤ 1.0× Netty's"))
                .satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Targets.Verdict.NOT_MET);
                    assertThat(c.measured()).isEqualTo("2.00× (+10.0 vs +5.0 MiB per 1,000)");
                });
        assertThat(check(checks, "10,000 idle connections held, " + mode).verdict()).isEqualTo(Targets.Verdict.MET);
    }

    @Test
    void theStartUpTargetIsShownBesideNettysStartInTheSameRun() {
        ScenarioFile startup = file(new ScenarioResult.Startup("startup", "5. Start-up", "test", List.of(
                new io.sockethost.bench.scenario.StartupRow("sockethost-threading", "sockethost threading", Kind.SOCKETHOST,
                        "JDK 17", Status.OK, "", List.of(700.0, 710.0, 690.0)),
                new io.sockethost.bench.scenario.StartupRow("netty", "Netty", Kind.PEER, "JDK 17", Status.OK, "",
                        List.of(600.0, 580.0, 620.0)))));

        Targets.Check check = check(Targets.evaluate(new Results(List.of(startup))),
                "Start to first accept with the bundled plugins, threading (Java 17) ≤ 0.5× Netty's echo");

        assertThat(check.verdict()).isEqualTo(Targets.Verdict.NOT_MET);
        assertThat(check.measured()).isEqualTo("1.17× (median 700 ms on JDK 17 vs 600 ms)");
    }

    @Test
    void theReportGivesEachTargetsRangeOverTheRecordedRuns(@TempDir Path out) throws Exception {
        Path bench = out.resolve("bench");
        TargetHistory.record(bench, "2026-01-01T00:00:00Z", List.of(tcpEcho()));
        ScenarioFile slower = file(new ScenarioResult.Throughput("tcp-echo", "1. TCP echo", "test", "req/s", List.of(16), List.of(
                row("sockethost-threading", Kind.SOCKETHOST, 16, 90_000, 500),
                row("netty", Kind.PEER, 16, 100_000, 900))));
        TargetHistory.record(bench, "2026-01-02T00:00:00Z", List.of(slower));

        TargetHistory history = TargetHistory.read(bench);
        String target = "TCP echo, 16 conns: threading (Java 17) ≥ 1.0× Netty req/s";

        assertThat(history.range(target)).hasValueSatisfying(r -> {
            assertThat(r.text()).isEqualTo("0.90–1.20×");
            assertThat(r.runs()).isEqualTo(2);
            assertThat(r.met()).isEqualTo(1);
        });
        assertThat(history.range("TCP echo, 128 conns: threading (Java 17) ≥ 1.0× Netty req/s"))
                .hasValueSatisfying(r -> assertThat(r.runs()).isEqualTo(1));
        assertThat(history.range("UDP echo, 16 clients: threading (Java 17) ≥ 0.9× DatagramChannel loop")).isEmpty();
        String md = Files.readString(MarkdownReport.write(List.of(slower), out));
        assertThat(md).contains("| " + target + " | 0.90× (90,000 vs 100,000 req/s) | **not met** | 0.90–1.20× | 1 of 2 |");
    }

    @Test
    void theHistoryKeepsOnlyTheLastRuns(@TempDir Path bench) throws Exception {
        for (int i = 0; i < TargetHistory.KEPT_RUNS + 3; i++) {
            TargetHistory.record(bench, "run " + i, List.of(tcpEcho()));
        }

        String json = Files.readString(bench.resolve(TargetHistory.FILE));

        assertThat(json).doesNotContain("\"run 2\"").contains("\"run 3\"", "\"run " + (TargetHistory.KEPT_RUNS + 2) + "\"");
    }

    @Test
    void theReportIsWrittenFromFilesReadBack(@TempDir Path out) throws Exception {
        tcpEcho().write(out.resolve("bench"));
        List<ScenarioFile> read = ScenarioFile.readAll(out.resolve("bench"), List.of("tcp-echo", "udp-echo"));

        Path report = MarkdownReport.write(read, out);

        assertThat(read).singleElement().isEqualTo(tcpEcho());
        String md = Files.readString(report);
        assertThat(md).contains("## 1. TCP echo", "| **sockethost-threading** | JDK 17 | 120,000 |", "1.20×",
                "sockethost-forking skipped: the host does not offer this mode yet");
        assertThat(Files.readString(out.resolve("bench/tcp-echo.svg"))).startsWith("<svg").contains("sockethost-threading");
    }
}
