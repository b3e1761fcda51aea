package io.sockethost.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server process of the benchmark, with its output in files (a full pipe must never block a server).
 * {@link #close()} always ends it and everything it started: SIGTERM, a grace period, then SIGKILL. A JVM
 * shutdown hook does the same for processes still running when the harness itself is stopped.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final long GRACE_SECONDS = 5;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ManagedProcess::close), "bench-process-reaper"));
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String label;

    private ManagedProcess(Process process, Path stdout, Path stderr, String label) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.label = label;
    }

    /**
     * Starts {@code command} in {@code workDir}; output goes to {@code logDir/<label>.out} and {@code .err}.
     */
    public static ManagedProcess start(String label, List<String> command, Path workDir, Path logDir,
                                       Map<String, String> environment) throws IOException {
        Files.createDirectories(logDir);
        String safe = label.replaceAll("[^A-Za-z0-9._-]+", "_");
        Path out = logDir.resolve(safe + ".out");
        Path err = logDir.resolve(safe + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        ManagedProcess started = new ManagedProcess(builder.start(), out, err, label);
        RUNNING.add(started);
        return started;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String label() {
        return label;
    }

    /** Why the process is gone, for a skip or failure note: its exit status and its last lines of output. */
    public String exitReport() {
        String status = process.isAlive() ? "still running" : "exited with status " + process.exitValue();
        List<String> tail = lastLines(stderr, 2);
        if (tail.isEmpty()) {
            tail = lastLines(stdout, 2);
        }
        return status + (tail.isEmpty() ? "" : ": " + String.join(" | ", tail));
    }

    private static List<String> lastLines(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** Copies the process's output files into {@code dir} (created if need be), to keep them past the run. */
    public void copyOutput(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Path file : List.of(stdout, stderr)) {
                if (Files.exists(file)) {
                    Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println("bench: could not keep the output of " + label + ": " + e);
        }
    }

    /**
     * Stops the process and everything it started, and returns only once they have all exited (or are still
     * there after SIGKILL and the grace period): the next server must not start while a previous one still
     * holds a port, uses the cores, or writes a file such as the host's class-data-sharing archive.
     */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
            }
            // Workers and forked children that outlive their parent (a ForkingTCPServer child, an nginx worker).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
            for (ProcessHandle child : descendants) {
                child.destroyForcibly();
            }
            for (ProcessHandle child : descendants) {
                // not our child once its parent is gone, so its exit is not signalled here: poll (onExit polls
                // too, but backs off to seconds, and waits for a zombie to be reaped)
                while (!ProcStats.exited(child) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }
}
