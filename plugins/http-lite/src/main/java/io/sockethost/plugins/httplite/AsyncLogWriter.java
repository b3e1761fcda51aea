package io.sockethost.plugins.httplite;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes log entries from request threads without ever blocking them and hands them, in the order they
 * were offered, to a sink on a thread of its own, as nginx's {@code access_log ... buffer=32k flush=1s} or
 * Logback's {@code AsyncAppender} do. An entry reaches the sink within {@code flushInterval} (sooner once a
 * {@code wakeWeight} of entries is waiting), and on {@link #close()}.
 *
 * <p>Bounded: entries waiting may weigh at most {@code maxWeight} (a weight is roughly the characters an
 * entry will print). An entry that does not fit is dropped and counted, and the writer logs the count at
 * WARN, at most once per {@code warnInterval}. After {@code close()} every offer is dropped.
 *
 * <p>The writer's thread starts with the first entry and ends after {@code idleRounds} flush intervals
 * without one, so a writer whose server is gone holds no thread; while the thread runs, a JVM shutdown hook
 * flushes the writer when the JVM exits. The sink runs on one thread at a time and must not throw.
 * Thread-safe.
 *
 * @param <E> the entries, formatted by the sink
 */
final class AsyncLogWriter<E> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AsyncLogWriter.class);

    /** Bounds and timing of a writer. */
    record Limits(long maxWeight, long wakeWeight, Duration flushInterval, int idleRounds, Duration warnInterval) {
        /** About 32 KiB before the writer wakes, as nginx's buffer; 256 KiB before lines are dropped. */
        static final Limits DEFAULT = new Limits(256 * 1024, 32 * 1024, Duration.ofMillis(500), 20, Duration.ofSeconds(10));
    }

    private final String name;
    private final Consumer<E> sink;
    private final ToIntFunction<E> weight;
    private final Limits limits;
    private final Queue<E> entries = new ConcurrentLinkedQueue<>();
    private final AtomicLong waitingWeight = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceWarning = new AtomicLong();
    private final AtomicBoolean threadRunning = new AtomicBoolean();
    private final ReentrantLock draining = new ReentrantLock();
    private volatile Thread thread;
    private volatile boolean closed;
    /** Guarded by {@code this}. */
    private boolean warned;
    /** Guarded by {@code this}. */
    private long lastWarning;

    /**
     * @param name names the writer's thread and its warnings, e.g. the server's access log
     * @param sink writes one entry
     * @param weight roughly the characters an entry will print, at least 1
     */
    AsyncLogWriter(String name, Consumer<E> sink, ToIntFunction<E> weight, Limits limits) {
        this.name = name;
        this.sink = sink;
        this.weight = weight;
        this.limits = limits;
    }

    /**
     * Queues an entry; never blocks.
     *
     * @return false if it was dropped: the writer is full or closed
     */
    boolean offer(E entry) {
        int w = weight.applyAsInt(entry);
        long before = waitingWeight.getAndAdd(w);
        if (closed || before + w > limits.maxWeight()) {
            waitingWeight.addAndGet(-w);
            dropped.incrementAndGet();
            droppedSinceWarning.incrementAndGet();
            return false;
        }
        entries.add(entry);
        if (!threadRunning.get()) {
            startThread();
        } else if (before < limits.wakeWeight() && before + w >= limits.wakeWeight()) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Hands every waiting entry to the sink now, on the calling thread. */
    void flush() {
        draining.lock();
        try {
            E entry;
            while ((entry = entries.poll()) != null) {
                waitingWeight.addAndGet(-weight.applyAsInt(entry));
                write(entry);
            }
        } finally {
            draining.unlock();
        }
    }

    private void write(E entry) {
        try {
            sink.accept(entry);
        } catch (RuntimeException | LinkageError e) {
            // A broken sink must not end the thread, or the buffer would fill and drop everything after.
            log.warn("{}: could not write a line: {}", name, e.toString());
        }
    }

    /** @return the entries dropped since the writer was made */
    long dropped() {
        return dropped.get();
    }

    /** @return whether the writer has a thread (it may be just ending), for tests */
    boolean threadRunning() {
        return threadRunning.get();
    }

    /** Flushes what is waiting and stops the thread; entries offered from now on are dropped. */
    @Override
    public void close() {
        closed = true;
        Thread running = thread;
        if (running != null && running != Thread.currentThread()) {
            LockSupport.unpark(running);
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
        warnOfDrops(true);
    }

    private void startThread() {
        if (closed || !threadRunning.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        // A hook per run: the one of a thread that is just ending may still be registered.
        Thread atExit = new Thread(this::flush, name + "-at-exit");
        boolean hooked = hook(atExit, true);
        try {
            int idle = 0;
            while (!closed) {
                LockSupport.parkNanos(this, limits.flushInterval().toNanos());
                boolean any = !entries.isEmpty();
                flush();
                warnOfDrops(false);
                idle = any ? 0 : idle + 1;
                if (idle >= limits.idleRounds() && !keepRunning()) {
                    return;
                }
            }
        } finally {
            if (hooked) {
                hook(atExit, false);
            }
            if (closed) {
                threadRunning.set(false);
            }
        }
    }

    /**
     * Ends the thread unless an entry arrived meanwhile. An offer that saw the thread running has already
     * queued its entry, so it is seen here; one that comes later starts a new thread.
     */
    private boolean keepRunning() {
        threadRunning.set(false);
        return !entries.isEmpty() && threadRunning.compareAndSet(false, true);
    }

    /** @return whether the hook is now registered (on) or was removed (off) */
    private static boolean hook(Thread hook, boolean on) {
        try {
            if (on) {
                Runtime.getRuntime().addShutdownHook(hook);
            } else {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            return true;
        } catch (IllegalStateException e) {
            // The JVM is already exiting: its hooks, this one or none, are running.
            return false;
        }
    }

    private synchronized void warnOfDrops(boolean now) {
        if (droppedSinceWarning.get() == 0
                || !now && warned && System.nanoTime() - lastWarning < limits.warnInterval().toNanos()) {
            return;
        }
        long count = droppedSinceWarning.getAndSet(0);
        warned = true;
        lastWarning = System.nanoTime();
        log.warn("{}: dropped {} line(s) because {} KiB of lines were already waiting to be written ({} dropped in all)",
                name, count, limits.maxWeight() / 1024, dropped.get());
    }
}
