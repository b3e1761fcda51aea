package io.sockethost.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

import io.sockethost.bench.scenario.MemoryRow;
import io.sockethost.bench.scenario.StartupRow;
import io.sockethost.bench.scenario.ThroughputRow;

/**
 * DESIGN.md section 9's targets, each checked against the rows measured in the same run: met, not met,
 * or not measured (with the reason, when a row was skipped). Every target is a ratio to a peer of the same
 * run, but for the count of idle connections held.
 */
final class Targets {
    /**
     * One target and what the run says about it.
     *
     * @param value the figure the verdict was drawn from (a ratio, or a count for {@link Unit#HELD}); NaN when
     *              not measured
     */
    record Check(String target, String measured, Verdict verdict, double value, Unit unit) {
        static Check notMeasured(String target, String why) {
            return new Check(target, why, Verdict.NOT_MEASURED, Double.NaN, Unit.RATIO);
        }
    }

    enum Verdict {
        MET("**met**"), NOT_MET("**not met**"), NOT_MEASURED("not measured");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** How a check's value reads. */
    enum Unit {
        RATIO, HELD;

        String format(double value) {
            return this == RATIO ? String.format(Locale.ROOT, "%.2f×", value) : String.format(Locale.ROOT, "%,.0f", value);
        }

        String range(double min, double max) {
            return this == RATIO ? String.format(Locale.ROOT, "%.2f–%.2f×", min, max)
                    : String.format(Locale.ROOT, "%,.0f–%,.0f held", min, max);
        }
    }

    private static final String THREADING = "sockethost-threading";
    private static final String VIRTUAL = "sockethost-virtual";
    private static final String FORKING = "sockethost-forking";
    /** sockethost as shipped on each Java: platform threads on 17, virtual threads on 21+ (run on 25). */
    private static final List<String> AS_SHIPPED = List.of(THREADING, VIRTUAL);

    private final Results results;
    private final List<Check> checks = new ArrayList<>();

    private Targets(Results results) {
        this.results = results;
    }

    static List<Check> evaluate(Results results) {
        Targets t = new Targets(results);
        for (String sh : AS_SHIPPED) {
            String mode = label(sh);
            for (int n : List.of(16, 128)) {
                t.ratio("TCP echo, " + n + " conns: " + mode + " ≥ 1.0× Netty req/s", "tcp-echo", sh, "netty", n, 1.0);
                t.p99NotAbove("TCP echo, " + n + " conns: " + mode + " p99 ≤ Netty's", "tcp-echo", sh, "netty", n, 1.0);
            }
            t.ratio("TCP echo, 128 conns: " + mode + " ≥ 4× Python ThreadingTCPServer", "tcp-echo", sh, "python-threading", 128, 4.0);
            t.ratio("Short connections: " + mode + " ≥ 1.0× Netty conn/s", "short-connections", sh, "netty", 16, 1.0);
        }
        t.ratio("Short connections: forking ≥ 5× Python ForkingTCPServer conn/s", "short-connections", FORKING,
                "python-forking", 16, 5.0);
        for (int n : List.of(16, 128)) {
            t.ratio("TCP echo, " + n + " conns: forking ≥ 1× Python ForkingTCPServer req/s", "tcp-echo", FORKING,
                    "python-forking", n, 1.0);
        }
        for (String sh : AS_SHIPPED) {
            t.ratio("UDP echo, 16 clients: " + label(sh) + " ≥ 0.9× DatagramChannel loop", "udp-echo", sh, "datagram-loop", 16, 0.9);
        }
        for (String sh : AS_SHIPPED) {
            String mode = "http-lite, " + label(sh);
            t.ratio("HTTP 1 KiB, 16 conns: " + mode + " ≥ 1.3× JDK HttpServer", "http-static", sh, "jdk-httpserver", 16, 1.3);
            t.ratio("HTTP 1 KiB, 16 conns: " + mode + " ≥ 0.75× nginx req/s", "http-static", sh, "nginx", 16, 0.75);
            t.p99NotAbove("HTTP 1 KiB, 16 conns: " + mode + " p99 ≤ 2× nginx's", "http-static", sh, "nginx", 16, 2.0);
        }
        for (String sh : AS_SHIPPED) {
            t.startup(sh);
        }
        t.memory(VIRTUAL);
        return t.checks;
    }

    /** The default distribution's mode on the Java the row ran on. */
    private static String label(String id) {
        return id.equals(VIRTUAL) ? "threading (Java 25, virtual threads)" : "threading (Java 17)";
    }

    /** Compares a sockethost row with a peer's at one point, or records why it cannot. */
    private void compare(String target, String scenario, String sh, String peer, int n,
                         BiFunction<ThroughputRow, ThroughputRow, Check> check) {
        Optional<ThroughputRow> a = results.row(scenario, sh, n);
        Optional<ThroughputRow> b = results.row(scenario, peer, n);
        String missing = missing(a, b);
        checks.add(missing != null ? Check.notMeasured(target, missing) : check.apply(a.get(), b.get()));
    }

    private void ratio(String target, String scenario, String sh, String peer, int n, double min) {
        compare(target, scenario, sh, peer, n, (a, b) -> {
            double ratio = a.rate() / b.rate();
            String measured = String.format(Locale.ROOT, "%.2f× (%,.0f vs %,.0f %s)", ratio, a.rate(), b.rate(),
                    unit(scenario)) + errors(a);
            return new Check(target, measured, ratio >= min ? Verdict.MET : Verdict.NOT_MET, ratio, Unit.RATIO);
        });
    }

    /** sockethost's p99 at most {@code max} times the peer's. */
    private void p99NotAbove(String target, String scenario, String sh, String peer, int n, double max) {
        compare(target, scenario, sh, peer, n, (a, b) -> {
            double pa = a.result().latency().p99() / 1000;
            double pb = b.result().latency().p99() / 1000;
            double ratio = pa / pb;
            return new Check(target, String.format(Locale.ROOT, "%.2f× (%.3f ms vs %.3f ms)", ratio, pa, pb) + errors(a),
                    ratio <= max ? Verdict.MET : Verdict.NOT_MET, ratio, Unit.RATIO);
        });
    }

    private void startup(String sh) {
        String target = "Start to first accept with the bundled plugins, " + label(sh) + " ≤ 0.5× Netty's echo";
        Optional<StartupRow> row = results.startup(sh);
        Optional<StartupRow> netty = results.startup("netty");
        for (Optional<StartupRow> r : List.of(row, netty)) {
            if (r.isEmpty() || !r.get().ok()) {
                checks.add(Check.notMeasured(target, r.map(x -> x.server() + " skipped: " + x.note()).orElse("scenario not run")));
                return;
            }
        }
        double ratio = row.get().median() / netty.get().median();
        String note = row.get().note();
        checks.add(new Check(target, String.format(Locale.ROOT, "%.2f× (median %.0f ms on %s vs %.0f ms)", ratio,
                row.get().median(), row.get().runtime(), netty.get().median()) + (note.isEmpty() ? "" : "; " + note),
                ratio <= 0.5 ? Verdict.MET : Verdict.NOT_MET, ratio, Unit.RATIO));
    }

    private void memory(String sh) {
        String mode = label(sh);
        String idleTarget = "Resident memory idle, " + mode + " ≤ 0.75× Netty's echo";
        String perTarget = "MiB per 1,000 idle connections, " + mode + " ≤ 1.0× Netty's";
        String heldTarget = "10,000 idle connections held, " + mode;
        Optional<MemoryRow> row = results.memory(sh);
        Optional<MemoryRow> netty = results.memory("netty");
        if (row.isEmpty() || !row.get().ok()) {
            String why = row.map(r -> "skipped: " + r.note()).orElse("scenario not run");
            for (String target : List.of(idleTarget, perTarget, heldTarget)) {
                checks.add(Check.notMeasured(target, why));
            }
            return;
        }
        MemoryRow m = row.get();
        if (netty.isEmpty() || !netty.get().ok()) {
            String why = netty.map(r -> "Netty skipped: " + r.note()).orElse("Netty not measured");
            checks.add(Check.notMeasured(idleTarget, why));
            checks.add(Check.notMeasured(perTarget, why));
        } else {
            MemoryRow n = netty.get();
            double idle = m.idleMiB() / n.idleMiB();
            checks.add(new Check(idleTarget, String.format(Locale.ROOT, "%.2f× (%.1f vs %.1f MiB)", idle, m.idleMiB(), n.idleMiB()),
                    idle <= 0.75 ? Verdict.MET : Verdict.NOT_MET, idle, Unit.RATIO));
            double per = m.perThousandMiB() / n.perThousandMiB();
            checks.add(Double.isNaN(per) ? Check.notMeasured(perTarget, "no connection held")
                    : new Check(perTarget, String.format(Locale.ROOT, "%.2f× (+%.1f vs +%.1f MiB per 1,000)", per,
                    m.perThousandMiB(), n.perThousandMiB()), per <= 1.0 ? Verdict.MET : Verdict.NOT_MET, per, Unit.RATIO));
        }
        int held = m.points().stream().mapToInt(MemoryRow.Point::held).max().orElse(0);
        int tried = m.points().stream().mapToInt(MemoryRow.Point::connections).max().orElse(0);
        String heldText = String.format(Locale.ROOT, "%,d held of %,d opened", held, tried);
        checks.add(tried < 10_000 ? Check.notMeasured(heldTarget, heldText)
                : new Check(heldTarget, heldText, held >= 10_000 ? Verdict.MET : Verdict.NOT_MET, held, Unit.HELD));
    }

    /** Why a pair cannot be compared (a skipped or failed row says why itself), or null if it can. */
    private static String missing(Optional<ThroughputRow> a, Optional<ThroughputRow> b) {
        for (Optional<ThroughputRow> row : List.of(a, b)) {
            if (row.isPresent() && !row.get().ok()) {
                return row.get().server() + " " + row.get().status().name().toLowerCase(Locale.ROOT) + ": " + row.get().note();
            }
        }
        return a.isEmpty() || b.isEmpty() ? "scenario or point not run" : null;
    }

    private static String errors(ThroughputRow row) {
        long errors = row.result().errorCount();
        return errors == 0 ? "" : String.format(Locale.ROOT, "; sockethost had %,d errors", errors);
    }

    private static String unit(String scenario) {
        return scenario.equals("short-connections") ? "conn/s" : "req/s";
    }
}
