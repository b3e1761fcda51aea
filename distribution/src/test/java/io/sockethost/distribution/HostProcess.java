package io.sockethost.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/sockethost} running as a separate process: both output streams are read on threads of
 * their own, line by line, so that a test can wait for a line with a deadline (never by sleeping), and
 * {@link #close()} always kills what is left. One per process; the waiting methods are for one thread.
 */
final class HostProcess implements AutoCloseable {
    private final Process process;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private HostProcess(Process process) {
        this.process = process;
        readers.add(reader(process.getInputStream(), out, "stdout"));
        readers.add(reader(process.getErrorStream(), err, "stderr"));
    }

    /**
     * Starts {@code launcher} with {@code args} in {@code workDir}.
     *
     * @param environment changes to the inherited environment; a {@code null} value removes the variable
     */
    static HostProcess start(Path launcher, Path workDir, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("SOCKETHOST_HOME");
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new HostProcess(builder.start());
    }

    private Thread reader(InputStream stream, List<String> lines, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    append(lines, line);
                }
            } catch (IOException e) {
                append(lines, "<" + name + " read failed: " + e + ">");
            } finally {
                append(lines, null);
            }
        }, "sockethost-" + name + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Adds a line, or with {@code null} just wakes the waiters (the stream ended). */
    private void append(List<String> lines, String line) {
        lock.lock();
        try {
            if (line != null) {
                lines.add(line);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits for a line of standard error (where the host logs) that matches {@code pattern}.
     *
     * @return the match
     * @throws AssertionError with everything the process printed, if the process ends or the deadline passes first
     */
    Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitLog(pattern, 1, timeout);
    }

    /** As {@link #awaitLog(Pattern, Duration)}, for the {@code nth} matching line (1 is the first). */
    Matcher awaitLog(Pattern pattern, int nth, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int seen = 0;
            int found = 0;
            while (true) {
                for (; seen < err.size(); seen++) {
                    Matcher m = pattern.matcher(err.get(seen));
                    if (m.find() && ++found == nth) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (!process.isAlive() && readersDone()) {
                    throw new AssertionError("sockethost exited with " + process.exitValue() + " before printing /"
                            + pattern + "/:\n" + transcript());
                }
                if (left <= 0) {
                    throw new AssertionError("no line matching /" + pattern + "/ (" + nth + ". match) within " + timeout + ":\n"
                            + transcript());
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        } finally {
            lock.unlock();
        }
    }

    private static final Pattern SERVER_LINE = Pattern.compile("server (\\S+) \\((\\S+)\\) listening on (\\S+) (\\S+) \\[");

    /** The loopback port an inet server's start line names, as 127.0.0.1:port; fails the test if there is none. */
    java.net.InetSocketAddress inetAddress(String server) {
        java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
        forEachLog(SERVER_LINE, m -> found.put(m.group(1), m.group(4)));
        String text = found.get(server);
        if (text == null) {
            throw new AssertionError("no start line for " + server + " in " + found);
        }
        return new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(text.substring(text.lastIndexOf(':') + 1)));
    }

    /** Every line of standard error matching {@code pattern} so far, each given to {@code sink} as a match. */
    void forEachLog(Pattern pattern, Consumer<Matcher> sink) {
        for (String line : stderr()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                sink.accept(m);
            }
        }
    }

    private boolean readersDone() {
        return readers.stream().noneMatch(Thread::isAlive);
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}) with the system's {@code kill}. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            throw new AssertionError("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /**
     * Waits for the process to exit and for its output to be read to the end.
     *
     * @return the exit status
     * @throws AssertionError with the transcript if it is still running at the deadline
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("sockethost still running after " + timeout + ":\n" + transcript());
        }
        for (Thread reader : readers) {
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return process.exitValue();
    }

    /** What a command that ends by itself printed and returned. */
    record Finished(int status, String out, String err) {
    }

    /** Waits for the process to end by itself, as {@link #awaitExit}, and returns its status and output. */
    Finished finish(Duration timeout) throws InterruptedException {
        int status = awaitExit(timeout);
        return new Finished(status, String.join("\n", stdout()), String.join("\n", stderr()));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdout() {
        return snapshot(out);
    }

    List<String> stderr() {
        return snapshot(err);
    }

    private List<String> snapshot(List<String> lines) {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    String transcript() {
        return "--- stdout\n" + String.join("\n", stdout()) + "\n--- stderr\n" + String.join("\n", stderr());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("sockethost " + process.pid() + " survived SIGKILL for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
