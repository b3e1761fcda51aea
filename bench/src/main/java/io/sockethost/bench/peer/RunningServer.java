package io.sockethost.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.sockethost.bench.Environment;
import io.sockethost.bench.system.FreePorts;
import io.sockethost.bench.system.ManagedProcess;

/**
 * A peer's process, started on a free port and known to be serving. Closing it stops the process and
 * everything it started, and waits until they have all exited.
 */
public final class RunningServer implements AutoCloseable {
    private static final AtomicInteger STARTS = new AtomicInteger();

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
        try {
            long deadline = start + timeout.toNanos();
            while (!Probes.serves(service, address, Environment.HTTP_PATH)) {
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
