package io.sockethost.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The neutral load client: the same code drives every server. Connections are spread over a few threads,
 * each running one selector (as wrk does), so that 128 connections do not need 128 client threads
 * competing with the server for the CPU. A step always ends on time: warm-up, then the measured window,
 * then every connection is closed.
 */
public final class LoadClient {
    /** How long the threads may take to wind down after the window. */
    private static final long JOIN_MILLIS = 5_000;
    /** Lead time for the threads to start before the schedule begins. */
    private static final long START_LEAD = TimeUnit.MILLISECONDS.toNanos(20);

    /** Told when the measured window opens and closes, on the controlling thread (for CPU sampling). */
    public interface WindowObserver {
        WindowObserver NONE = new WindowObserver() {
        };

        default void opened() {
        }

        default void closed() {
        }
    }

    private LoadClient() {
    }

    public static LoadResult run(LoadSpec spec) throws InterruptedException {
        return run(spec, WindowObserver.NONE);
    }

    public static LoadResult run(LoadSpec spec, WindowObserver observer) throws InterruptedException {
        long scheduleStart = System.nanoTime() + START_LEAD;
        long windowStart = scheduleStart + spec.warmup().toNanos();
        Window window = new Window(windowStart, windowStart + spec.duration().toNanos());
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < spec.threads(); t++) {
            int share = connectionsOf(spec, t);
            workers.add(new Worker(spec, window, scheduleStart, spec.ratePerSecond() * share / spec.connections()));
        }
        for (int c = 0; c < spec.connections(); c++) {
            Worker worker = workers.get(c % workers.size());
            worker.sessions.add(newSession(spec.workload(), worker));
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        try {
            for (int t = 0; t < workers.size(); t++) {
                Worker worker = workers.get(t);
                threads.add(start("bench-client-" + t, worker, failures));
                if (worker.pacer() != null) {
                    threads.add(start("bench-pacer-" + t, worker.pacer(), failures));
                }
            }
            sleepUntil(window.start);
            observer.opened();
            sleepUntil(window.end);
            observer.closed();
        } finally {
            window.stop();
            for (Thread thread : threads) {
                thread.join(JOIN_MILLIS);
                if (thread.isAlive()) {
                    thread.interrupt();
                    failures.add(new IllegalStateException(thread.getName() + " did not stop"));
                }
            }
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                IllegalStateException e = new IllegalStateException("the load client failed", failures.get(0));
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }
        return merge(workers, spec);
    }

    private static int connectionsOf(LoadSpec spec, int thread) {
        int base = spec.connections() / spec.threads();
        return base + (thread < spec.connections() % spec.threads() ? 1 : 0);
    }

    private static Session newSession(Workload workload, Worker worker) {
        return switch (workload) {
            case TCP_ECHO -> new EchoSession(worker);
            case SHORT_CONNECTIONS -> new ShortSession(worker);
            case UDP_ECHO -> new UdpSession(worker);
            case HTTP_GET -> new HttpSession(worker);
            case HTTPS_GET -> throw new IllegalArgumentException("HTTPS_GET runs on TlsHttpClient: this client speaks no TLS");
        };
    }

    private static Thread start(String name, Runnable work, List<Throwable> failures) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static LoadResult merge(List<Worker> workers, LoadSpec spec) {
        Histogram all = new Histogram(workers.get(0).histogram.getHighestTrackableValue(), 3);
        Map<String, Long> errors = new HashMap<>();
        long completed = 0;
        for (Worker worker : workers) {
            all.add(worker.histogram);
            completed += worker.completed;
            worker.errors.forEach((kind, count) -> errors.merge(kind, count, Long::sum));
        }
        double seconds = spec.duration().toNanos() / 1e9;
        return new LoadResult(completed, seconds, errors, Latency.of(all), "sockethost-bench");
    }

    /** Sleeps until {@code deadline} (a {@link System#nanoTime()} value). */
    static void sleepUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
