package io.sockethost.forking;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the in-process host logs, line by line: slf4j-simple writes to whatever {@code System.err} is at the
 * time of each call, so a tee installed here sees every log line (still passed on to the real stderr).
 * Install one per test; {@link #close()} restores {@code System.err}.
 */
final class HostLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final List<String> lines = new ArrayList<>();

    private HostLog() {
    }

    static HostLog capture() {
        HostLog log = new HostLog();
        System.setErr(new PrintStream(log.new Tee(), true, StandardCharsets.UTF_8));
        return log;
    }

    /**
     * Waits for a line that matches.
     *
     * @throws AssertionError with the lines seen so far if none matches in time
     */
    String await(String description, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int checked = 0;
            while (true) {
                for (; checked < lines.size(); checked++) {
                    if (match.test(lines.get(checked))) {
                        return lines.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no host log line " + description + " within " + timeout + "; the log was:\n"
                            + String.join("\n", lines));
                }
                added.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code count} distinct values of the pattern's first group have been logged.
     *
     * @return those values, in the order they were first logged
     */
    List<String> awaitDistinct(String description, Pattern pattern, int count, Duration timeout) throws InterruptedException {
        Set<String> found = new LinkedHashSet<>();
        await(description, line -> {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                found.add(m.group(1));
            }
            return found.size() >= count;
        }, timeout);
        return List.copyOf(found);
    }

    List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }

    private void add(String line) {
        lock.lock();
        try {
            lines.add(line);
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Passes every byte on to the real stderr and collects complete lines. */
    private final class Tee extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
