package io.sockethost.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * One client thread: a selector over its share of the sessions, the latencies and errors they record
 * (no sharing, so nothing is locked on the hot path), and in open loop the schedule of its requests.
 */
final class Worker implements Runnable {
    /** Longest latency the histogram tracks; longer ones are recorded as this. */
    private static final long MAX_TRACKED = TimeUnit.SECONDS.toNanos(60);
    /** How long the selector may sleep before checking whether the step ended. */
    private static final long MAX_SLEEP_MILLIS = 20;

    final LoadSpec spec;
    final Selector selector;
    final Window window;
    final Histogram histogram = new Histogram(1, MAX_TRACKED, 3);
    final Map<String, Long> errors = new HashMap<>();
    final List<Session> sessions = new ArrayList<>();
    long completed;
    private final Pacer pacer;
    private final ArrayDeque<Session> idle = new ArrayDeque<>();
    private final LongFifo backlog = new LongFifo();
    private long consumed;
    private long nextDeadline = Long.MAX_VALUE;

    /** @param ratePerSecond this thread's share of the open-loop rate, or 0 for closed loop */
    Worker(LoadSpec spec, Window window, long scheduleStart, double ratePerSecond) {
        this.spec = spec;
        this.window = window;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pacer = ratePerSecond > 0 ? new Pacer(scheduleStart, ratePerSecond, selector, window) : null;
    }

    /** The pacing thread's work, or null in closed loop. */
    Runnable pacer() {
        return pacer;
    }

    @Override
    public void run() {
        try {
            long now = System.nanoTime();
            for (Session session : sessions) {
                session.open(now);
            }
            while (!window.stopped()) {
                long wait = nextDeadline == Long.MAX_VALUE ? MAX_SLEEP_MILLIS
                        : Math.min(MAX_SLEEP_MILLIS, TimeUnit.NANOSECONDS.toMillis(nextDeadline - now + 999_999));
                if (wait <= 0) {
                    selector.selectNow(this::ready);
                } else {
                    selector.select(this::ready, wait);
                }
                now = System.nanoTime();
                if (pacer != null) {
                    startDueRequests(now);
                }
                if (now >= nextDeadline) {
                    runDeadlines(now);
                }
            }
            countUnanswered(System.nanoTime());
        } catch (IOException e) {
            error("client selector: " + e.getMessage());
        } finally {
            sessions.forEach(Session::close);
            try {
                selector.close();
            } catch (IOException e) {
                // nothing left to measure
            }
        }
    }

    /** Requests still waiting when the step ends, for longer than the reply timeout: their connections starved. */
    private void countUnanswered(long now) {
        long timeout = spec.replyTimeout().toNanos();
        for (Session session : sessions) {
            long since = session.pendingSince();
            if (since >= 0 && now - since > timeout) {
                errors.merge("unanswered for over " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms at the end", 1L, Long::sum);
            }
        }
    }

    private void ready(SelectionKey key) {
        ((Session) key.attachment()).onReady(key, System.nanoTime());
    }

    private void runDeadlines(long now) {
        long next = Long.MAX_VALUE;
        for (Session session : sessions) {
            if (session.deadline <= now) {
                session.deadline = Long.MAX_VALUE;
                session.onDeadline(now);
            }
            next = Math.min(next, session.deadline);
        }
        nextDeadline = next;
    }

    private void startDueRequests(long now) {
        long due = pacer.due();
        while (consumed < due) {
            long origin = pacer.dueTime(consumed++);
            Session session = idle.poll();
            if (session != null) {
                session.send(origin, now);
            } else {
                backlog.add(origin);
            }
        }
    }

    void noteDeadline(long at) {
        if (at < nextDeadline) {
            nextDeadline = at;
        }
    }

    /** A session can take its next request: at once in closed loop, when one is due in open loop. */
    void readyForNext(Session session, long now) {
        if (pacer == null) {
            session.send(now, now);
        } else if (!backlog.isEmpty()) {
            session.send(backlog.poll(), now);
        } else {
            idle.add(session);
        }
    }

    /** A session lost its connection and will reconnect: it is no longer idle. */
    void broken(Session session) {
        if (pacer != null) {
            idle.remove(session);
        }
    }

    void completed(long origin, long now) {
        if (window.measuring(now)) {
            histogram.recordValue(Math.max(0, Math.min(now - origin, MAX_TRACKED)));
            completed++;
        }
    }

    /** Counts an error; what happens while the step is being torn down is not one. */
    void error(String kind) {
        if (!window.stopped()) {
            errors.merge(kind, 1L, Long::sum);
        }
    }

    /** A queue of due times without boxing. */
    private static final class LongFifo {
        private long[] items = new long[1024];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(long value) {
            if (size == items.length) {
                long[] bigger = new long[items.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = items[(head + i) % items.length];
                }
                items = bigger;
                head = 0;
            }
            items[(head + size++) % items.length] = value;
        }

        long poll() {
            long value = items[head];
            head = (head + 1) % items.length;
            size--;
            return value;
        }
    }
}
