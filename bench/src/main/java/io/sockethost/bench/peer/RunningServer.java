package io.sockethost.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.sockethost.bench.Environment;
import io.sockethost.bench.system.FreePorts;
import io.sockethost.bench.system.ManagedProcess;
import io.sockethost.bench.system.ProcStats;

/**
 * A peer's process, started on a free port and known to be serving. Closing it stops the process and
 * everything it started, and waits until they have all exited.
 */
public final class RunningServer implements AutoCloseable {
    private static final AtomicInteger STARTS = new AtomicInteger();
    /** How long a server may stay busy after it first answers before it is measured anyway. */
    private static final Duration QUIET_DEADLINE = Duration.ofSeconds(60);
    private static final Duration QUIET_WINDOW = Duration.ofMillis(250);
    /** Quiet: the process tree used less than this share of one core over a window. */
    private static final double QUIET_CORES = 0.10;

    private final ManagedProcess process;
    private final InetSocketAddress address;
    private final Path keptLogDir;
    private long readyNanos;
    private boolean keepLog;

    private RunningServer(ManagedProcess process, InetSocketAddress address, Path keptLogDir) {
        this.process = process;
        this.address = address;
        this.keptLogDir = keptLogDir;
    }

    /**
     * Starts {@code peer} and polls it (a real request of {@code service}, about every millisecond) until
     * it answers, it exits, or {@code timeout} passes.
     */
    public static RunningServer start(Peer peer, Environment env, Service service, Duration timeout)
            throws IOException, StartFailure, InterruptedException {
        int port = FreePorts.any();
        Path dir = Files.createDirectories(env.workDir().resolve("runs").resolve(STARTS.incrementAndGet() + "-" + peer.id()));
        Launch launch = peer.prepare(env, service, port, dir);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long start = System.nanoTime();
        ManagedProcess process = ManagedProcess.start(peer.id(), launch.command(), launch.workDir(), dir, launch.environment());
        // beside the run's folder, which is deleted at the end of the run
        Path kept = env.workDir().resolveSibling(env.workDir().getFileName() + "-logs").resolve(dir.getFileName());
        RunningServer server = new RunningServer(process, address, kept);
        // UDP probes share one socket, so that a late echo counts (see Probes.udpEcho)
        try (java.net.DatagramSocket udp = service == Service.UDP_ECHO ? Probes.udpSocket(address) : null) {
            long deadline = start + timeout.toNanos();
            while (udp != null ? !Probes.udpEcho(udp) : !Probes.serves(service, address, Environment.HTTP_PATH)) {
                if (!process.isAlive()) {
                    throw new StartFailure(relative(process.exitReport(), launch), kept);
                }
                if (System.nanoTime() > deadline) {
                    throw new StartFailure("not serving " + service + " on " + address + " after " + timeout.toSeconds()
                            + " s; " + relative(process.exitReport(), launch), kept);
                }
                Thread.sleep(1);
            }
            server.readyNanos = System.nanoTime() - start;
            return server;
        } catch (StartFailure | InterruptedException | RuntimeException e) {
            if (e instanceof StartFailure) {
                server.keepLog();
            }
            server.close();
            throw e;
        }
    }

    /**
     * Waits until the server's whole process tree (the process and every descendant: the forking server's
     * worker JVMs, nginx's worker) is quiet, as {@link #quietRule()} says, or the deadline passes. A server that answers is not always done starting: a forking server's warm pool of JVMs, or a
     * JIT compiler still at work, would be measured as part of the first step. The scenarios call this for
     * every peer alike before they measure (start-up, which measures the start itself, does not).
     */
    public Quiet awaitQuiet() throws InterruptedException {
        long start = System.nanoTime();
        long before = start;
        double cpuBefore = ProcStats.cpuSeconds(handle());
        double cores = Double.NaN;
        while (!Double.isNaN(cpuBefore) && process.isAlive()) {
            Thread.sleep(QUIET_WINDOW.toMillis());
            long now = System.nanoTime();
            double cpu = ProcStats.cpuSeconds(handle());
            cores = (cpu - cpuBefore) / ((now - before) / 1e9);
            // below zero: a process left the tree with its time, so the window proves nothing
            boolean quiet = cores >= 0 && cores < QUIET_CORES;
            Duration waited = Duration.ofNanos(now - start);
            if (quiet || waited.compareTo(QUIET_DEADLINE) >= 0) {
                return new Quiet(waited, quiet, cores);
            }
            before = now;
            cpuBefore = cpu;
        }
        // no /proc to read (nothing to wait for), or the server exited (the step's own check reports it)
        return new Quiet(Duration.ofNanos(System.nanoTime() - start), true, cores);
    }

    /** What {@link #awaitQuiet} waits for, for the report. */
    public static String quietRule() {
        return String.format(Locale.ROOT, "uses less than %.0f%% of a core over %d ms, for %d s at most",
                QUIET_CORES * 100, QUIET_WINDOW.toMillis(), QUIET_DEADLINE.toSeconds());
    }

    /**
     * How the wait for a quiet server ended.
     *
     * @param cores the share of one core the process tree used over the last window, or NaN if unknown
     */
    public record Quiet(Duration waited, boolean quiet, double cores) {
        /** For the row measured first: {@code other}, after a note that the server was not quiet if it was not. */
        public String noteWith(String other) {
            if (quiet) {
                return other;
            }
            String note = String.format(Locale.ROOT, "measured before the server was quiet: its processes "
                    + "still used %.0f%% of a core %d s after it first answered", cores * 100, waited.toSeconds());
            return other.isEmpty() ? note : note + "; " + other;
        }

        @Override
        public String toString() {
            return describe("it first answered");
        }

        /** @param since what the wait began after, e.g. {@code "it first answered"} */
        public String describe(String since) {
            double seconds = waited.toNanos() / 1e9;
            if (Double.isNaN(cores)) {
                return "not checked for quiet (no /proc, or the server exited)";
            }
            return quiet ? String.format(Locale.ROOT, "quiet %.2f s after %s", seconds, since)
                    : String.format(Locale.ROOT, "still using %.0f%% of a core %.0f s after %s: measured anyway",
                            cores * 100, seconds, since);
        }
    }

    /** Paths in a process's messages, relative to its working folder: the temporary prefix tells nothing. */
    private static String relative(String message, Launch launch) {
        return message.replace(launch.workDir().toAbsolutePath() + java.io.File.separator, "");
    }

    public InetSocketAddress address() {
        return address;
    }

    public ProcessHandle handle() {
        return process.handle();
    }

    /** From just before the process was started to the first correct reply. */
    public Duration startedIn() {
        return Duration.ofNanos(readyNanos);
    }

    /** Whether the process is still up, and if not why. */
    public String health() {
        return process.isAlive() ? "running" : process.exitReport();
    }

    /** @return the processes in the server's tree now: its own and its live descendants' */
    public long processCount() {
        return 1 + handle().descendants().filter(ProcessHandle::isAlive).count();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Keeps the server's output (stdout and stderr) when it is closed, past the end of the run, so that a step
     * that failed or had errors can be looked into.
     *
     * @return the folder the output is copied to
     */
    public Path keepLog() {
        keepLog = true;
        return keptLogDir;
    }

    @Override
    public void close() {
        process.close();
        if (keepLog) {
            process.copyOutput(keptLogDir);
        }
    }
}
