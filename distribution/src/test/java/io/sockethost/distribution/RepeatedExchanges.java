package io.sockethost.distribution;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that makes one exchange after another on a thread of its own until it is closed, and keeps every
 * failure (an exception, or an answer other than the expected one) with the number of the exchange it
 * happened in, so that a test can say exactly which requests went unanswered and when. One instance per
 * loop; {@link #done()} and {@link #failures()} may be read from any thread.
 */
final class RepeatedExchanges implements AutoCloseable {
    /** One request and its answer; throws or returns a description of what was wrong, or null when answered right. */
    @FunctionalInterface
    interface Exchange {
        String run(int n) throws Exception;
    }

    /** One attempt at a request over a new connection: the answer, empty when the connection closed without one. */
    @FunctionalInterface
    interface Attempt {
        String answer() throws IOException;
    }

    private static final int KEPT_FAILURES = 20;

    /**
     * Makes {@code attempt}; if its connection was cut (reset, or closed without an answer) notes when in
     * {@code cuts} and makes it once more on a new connection, as a client of a service behind several hosts
     * would. A refused connection, or a cut second attempt, is not retried.
     *
     * @return the answer of the attempt that got one (empty if the second was cut too)
     */
    static String retriedOnceIfCut(Attempt attempt, List<Long> cuts) throws IOException {
        try {
            String answer = attempt.answer();
            if (!answer.isEmpty()) {
                return answer;
            }
        } catch (SocketException e) {
            if (e instanceof ConnectException || !String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
        }
        cuts.add(System.nanoTime());
        return attempt.answer();
    }

    private final String name;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;

    RepeatedExchanges(String name, Exchange exchange) {
        this.name = name;
        thread = new Thread(() -> {
            for (int n = 0; running.get(); n++) {
                String wrong;
                try {
                    wrong = exchange.run(n);
                } catch (Exception e) {
                    wrong = e.toString();
                }
                if (wrong == null) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    synchronized (failures) {
                        if (failures.size() < KEPT_FAILURES) {
                            failures.add(name + " #" + n + ": " + wrong);
                        }
                    }
                }
            }
        }, name + "-exchanges");
        thread.setDaemon(true);
        thread.start();
    }

    /** Exchanges answered right so far. */
    int done() {
        return done.get();
    }

    /** The first failures (at most 20), each with the number of its exchange; empty when every exchange was answered. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** How many exchanges failed, all of them (not only the kept ones). */
    int failed() {
        return failed.get();
    }

    @Override
    public String toString() {
        return name + ": " + done() + " answered, " + failed() + " failed " + failures();
    }

    /**
     * Stops after the exchange in progress, waiting up to 30 s for it; idempotent.
     *
     * @throws AssertionError if the exchange in progress is still running after 30 s
     */
    void stop() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
            throw new AssertionError(name + ": the exchange in progress did not end within 30 s");
        }
    }

    /** {@link #stop()}, keeping an interrupt for the caller to see. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
