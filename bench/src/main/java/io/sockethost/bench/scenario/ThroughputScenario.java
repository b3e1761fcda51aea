package io.sockethost.bench.scenario;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sockethost.bench.Environment;
import io.sockethost.bench.Profile;
import io.sockethost.bench.Settings;
import io.sockethost.bench.load.LoadClient;
import io.sockethost.bench.load.LoadResult;
import io.sockethost.bench.load.LoadSpec;
import io.sockethost.bench.load.Workload;
import io.sockethost.bench.load.Wrk;
import io.sockethost.bench.peer.Peer;
import io.sockethost.bench.peer.RunningServer;
import io.sockethost.bench.peer.Service;
import io.sockethost.bench.peer.StartFailure;

/**
 * Load steps: each server is started once, measured at each connection count (a time-bounded step
 * each), and stopped. HTTP steps use wrk when it is installed, the harness's own client otherwise.
 *
 * @param openLoop requests at the run's fixed rate instead of closed loop
 */
public record ThroughputScenario(String name, String title, String description, Service service, Workload workload,
                                 List<Integer> fullPoints, List<Integer> quickPoints, boolean openLoop,
                                 List<Peer> peers) implements Scenario {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** One settling run of a server that starts processes under load. */
    private static final Duration SETTLE_RUN = Duration.ofSeconds(2);
    /** Settled: this many runs in a row left the server's process tree no larger. */
    private static final int SETTLED_RUNS = 3;
    /** Settling gives up after this long, and the point is measured anyway. */
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(180);

    public ThroughputScenario {
        fullPoints = List.copyOf(fullPoints);
        quickPoints = List.copyOf(quickPoints);
        peers = List.copyOf(peers);
    }

    @Override
    public ScenarioResult run(Context context) throws InterruptedException {
        List<Integer> points = context.settings().profile().points(fullPoints, quickPoints);
        List<ThroughputRow> rows = new ArrayList<>();
        for (Peer peer : peers) {
            rows.addAll(measure(context, peer, points));
        }
        return new ScenarioResult.Throughput(name, title, description, workload.unit(), points, rows);
    }

    private List<ThroughputRow> measure(Context context, Peer peer, List<Integer> points) throws InterruptedException {
        Environment env = context.env();
        String runtime = context.runtimeOf(peer);
        Optional<String> unavailable = peer.unavailable(env, service);
        if (unavailable.isPresent()) {
            context.log("  %-40s skipped: %s", peer.name(), unavailable.get());
            return points.stream().map(n -> row(peer, runtime, n, Status.SKIPPED, unavailable.get())).toList();
        }
        List<ThroughputRow> rows = new ArrayList<>();
        try (RunningServer server = RunningServer.start(peer, env, service, START_TIMEOUT)) {
            RunningServer.Quiet quiet = server.awaitQuiet();
            context.log("  %-40s %s", peer.name(), quiet);
            for (int connections : points) {
                if (!server.alive()) {
                    rows.add(row(peer, runtime, connections, Status.FAILED, "server exited: " + server.health()));
                    context.log("  %-40s %4d conns  server exited; server log kept in %s", peer.name(), connections,
                            server.keepLog());
                    continue;
                }
                LoadSpec spec = spec(context.settings(), server, connections, rows.isEmpty());
                if (openLoop && rows.isEmpty()) {
                    // A cold server would fall behind the schedule while its JIT compiler works and spend the
                    // window draining that backlog: warm it in closed loop first, then keep to the schedule.
                    LoadClient.run(new LoadSpec(workload, spec.target(), connections, spec.threads(), Duration.ZERO,
                            context.settings().serverWarmup(), 0, spec.replyTimeout(), spec.httpPath()));
                    spec = spec(context.settings(), server, connections, false);
                }
                if (peer.startsProcessesUnderLoad()) {
                    settle(context, peer, server, spec, connections);
                }
                CpuSampler cpu = new CpuSampler(server.handle());
                LoadResult result = load(context, spec, cpu);
                String exited = server.alive() ? "" : "server exited during the step: " + server.health();
                String note = rows.isEmpty() ? quiet.noteWith(exited) : exited;
                rows.add(new ThroughputRow(peer.id(), peer.name(), peer.kind(), runtime, connections, Status.OK, note,
                        result, cpu.result()));
                context.log("  %-40s %4d conns  %,10.0f %s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  errors %d%s",
                        peer.name(), connections, result.rate(), workload.unit(), result.latency().p50() / 1000,
                        result.latency().p99() / 1000, result.latency().p999() / 1000, result.errorCount(),
                        result.errors().isEmpty() ? "" : " " + result.errors());
                if (result.errorCount() > 0 || !exited.isEmpty()) {
                    context.log("  %-40s %4d conns  %s; server log kept in %s", peer.name(), connections,
                            exited.isEmpty() ? "errors" : exited, server.keepLog());
                }
            }
        } catch (StartFailure e) {
            Status status = peer.startFailureIsSkip() ? Status.SKIPPED : Status.FAILED;
            String note = (status == Status.SKIPPED ? "the host does not offer this mode yet: " : "did not start: ") + e.getMessage();
            context.log("  %-40s %s%s", peer.name(), note, e.keptLog());
            for (int connections : points.subList(rows.size(), points.size())) {
                rows.add(row(peer, runtime, connections, status, note));
            }
        } catch (IOException | RuntimeException e) {
            context.log("  %-40s failed: %s", peer.name(), e);
            for (int connections : points.subList(rows.size(), points.size())) {
                rows.add(row(peer, runtime, connections, Status.FAILED, e.toString()));
            }
        }
        return rows;
    }

    /**
     * A forking host meets a higher connection count by starting worker JVMs, and keeps {@code warmWorkers}
     * spare beside the busy ones; on 2 cores busy with the load a JVM takes 1-2 s to start, so its pool grows
     * by a worker or two a second, which the warm-up does not cover. So before each point the server is
     * loaded at its connection count, unmeasured, in back-to-back runs of {@link #SETTLE_RUN} until its
     * process tree has not grown for {@link #SETTLED_RUNS} runs (full mode; the quick mode settles for one
     * run only), then measured once the tree is quiet. Python's ForkingTCPServer, which forks per connection,
     * gets the same treatment and settles at once.
     */
    private void settle(Context context, Peer peer, RunningServer server, LoadSpec spec, int connections)
            throws InterruptedException {
        boolean full = context.settings().profile() == Profile.FULL;
        long start = System.nanoTime();
        long deadline = start + SETTLE_DEADLINE.toNanos();
        int runs = 0;
        int unchanged = 0;
        long processes = server.processCount();
        do {
            LoadClient.run(new LoadSpec(workload, spec.target(), connections, spec.threads(), Duration.ZERO, SETTLE_RUN,
                    0, spec.replyTimeout(), spec.httpPath()));
            long now = server.processCount();
            unchanged = now > processes ? 0 : unchanged + 1;
            processes = now;
            runs++;
        } while (full && unchanged < SETTLED_RUNS && System.nanoTime() < deadline);
        RunningServer.Quiet quiet = server.awaitQuiet();
        context.log("  %-40s %4d conns  settled: %d run(s) in %.1f s, %d processes; %s", peer.name(), connections, runs,
                (System.nanoTime() - start) / 1e9, processes, quiet.describe("the last run"));
    }

    private LoadSpec spec(Settings settings, RunningServer server, int connections, boolean first) {
        LoadSpec spec = new LoadSpec(workload, server.address(), connections, settings.clientThreads(),
                first ? settings.serverWarmup() : settings.warmup(),
                settings.duration(), 0, workload == Workload.UDP_ECHO ? settings.profile().udpReplyTimeout() : Duration.ofSeconds(1),
                Environment.HTTP_PATH);
        return openLoop ? spec.withRate(settings.fixedRate()) : spec;
    }

    private static LoadResult load(Context context, LoadSpec spec, CpuSampler cpu) throws IOException, InterruptedException {
        if (spec.workload() == Workload.HTTPS_GET) {
            return io.sockethost.bench.load.TlsHttpClient.run(spec, cpu);
        }
        Optional<java.nio.file.Path> wrk = context.env().wrk();
        if (spec.workload() == Workload.HTTP_GET && wrk.isPresent()) {
            return new Wrk(wrk.get(), context.env().wrkScript(), context.env().logDir()).run(spec, cpu);
        }
        return LoadClient.run(spec, cpu);
    }

    private static ThroughputRow row(Peer peer, String runtime, int connections, Status status, String note) {
        return new ThroughputRow(peer.id(), peer.name(), peer.kind(), runtime, connections, status, note, null, Cpu.UNKNOWN);
    }

    /** Used by the report: the rows of one connection count. */
    public static Map<Integer, List<ThroughputRow>> byPoint(ScenarioResult.Throughput result) {
        Map<Integer, List<ThroughputRow>> map = new java.util.LinkedHashMap<>();
        for (int point : result.points()) {
            map.put(point, result.rows().stream().filter(r -> r.connections() == point).toList());
        }
        return map;
    }
}
