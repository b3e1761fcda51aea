package io.sockethost.plugins.loginauth;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the password checks that run at once for every login-auth server of the host, so that a flood of
 * logins uses at most {@code size} cores and never starves the other servers: {@code size} checks run, up to
 * {@link #QUEUE_PER_SLOT} per slot wait their turn in arrival order, and a check beyond that is not run at
 * all. The check runs on a platform thread of the pool's own, never on the caller's: on Java 21+ connections
 * are served by virtual threads, which the JVM does not preempt, so a check of 0.2 s of CPU on each of them
 * would hold every carrier thread (one per core) and stall every other server's connections for seconds;
 * the waiting caller parks instead. The pool's threads are daemons that end after {@value #IDLE_SECONDS} s
 * without work, so a plugin that is unloaded leaves none behind for long.
 *
 * <p>Each server sizes the pool when it starts serving ({@code hashPoolSize}); when servers ask for different
 * sizes the smallest wins, so a server can lower the host's bound but never raise it past what another
 * server allows. The pool only shrinks while the plugin is loaded. Thread-safe.
 */
final class HashPool {
    /** Checks that may wait per running one; a full queue refuses rather than letting waits grow without end. */
    static final int QUEUE_PER_SLOT = 8;
    static final int IDLE_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(HashPool.class);
    /** One per plugin class loader, that is one for the whole host. */
    private static final HashPool SHARED = new HashPool();

    /** The result of {@link #check}. */
    enum Checked {
        /** The check ran and said yes. */
        MATCH,
        /** The check ran and said no. */
        NO_MATCH,
        /** The check did not run: the queue was full, or the waiting thread was interrupted. */
        NOT_RUN
    }

    /** A semaphore whose permits can be taken away while they are in use. */
    private static final class Slots extends Semaphore {
        Slots(int permits) {
            super(permits, true);
        }

        void shrinkBy(int permits) {
            reducePermits(permits);
        }
    }

    private final Slots slots = new Slots(0);
    /** Runs the checks; the slots bound how many at once, so it needs no bound of its own. */
    private final ThreadPoolExecutor hashing = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "login-auth-hash");
                thread.setDaemon(true);
                return thread;
            });
    /** Checks running or waiting. */
    private final AtomicInteger wanting = new AtomicInteger();
    /** 0 until the first server sizes the pool. */
    private volatile int size;

    static HashPool shared() {
        return SHARED;
    }

    /**
     * Sizes the pool for a server: the first request sets the size, a later one can only lower it.
     *
     * @param requested a server's {@code hashPoolSize}, at least 1
     * @param serverName the server that asked, for the log line
     */
    synchronized void limitTo(int requested, String serverName) {
        if (size == 0) {
            slots.release(requested);
            size = requested;
            log.info("server {}: password checks of every login-auth server run {} at a time", serverName, requested);
        } else if (requested < size) {
            log.info("server {}: password checks of every login-auth server now run {} at a time (was {})",
                    serverName, requested, size);
            slots.shrinkBy(size - requested);
            size = requested;
        }
    }

    int size() {
        return size;
    }

    /** @return the checks running or waiting now */
    int wanting() {
        return wanting.get();
    }

    /** @return whether a check asked for now would not run: every slot busy and the queue full */
    boolean saturated() {
        int limit = size();
        return wanting.get() >= limit + limit * QUEUE_PER_SLOT;
    }

    /** @return how many checks may wait for a slot */
    int queueLimit() {
        return size * QUEUE_PER_SLOT;
    }

    /**
     * Runs a check in a free slot, after waiting for one (first come, first served) if the queue has room.
     *
     * @param check the password check; runs on one of the pool's threads while this one waits
     * @return its answer, or {@link Checked#NOT_RUN}
     */
    Checked check(BooleanSupplier check) {
        int limit = size();
        if (wanting.incrementAndGet() > limit + limit * QUEUE_PER_SLOT) {
            wanting.decrementAndGet();
            return Checked.NOT_RUN;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            // The host is stopping this connection; the attempt ends unchecked.
            Thread.currentThread().interrupt();
            wanting.decrementAndGet();
            return Checked.NOT_RUN;
        }
        Future<Boolean> running;
        try {
            // The slot goes back when the check ends, not when this caller stops waiting for it: an
            // interrupted caller must not let another check start beside one still running.
            running = hashing.submit(() -> {
                try {
                    return check.getAsBoolean();
                } finally {
                    slots.release();
                    wanting.decrementAndGet();
                }
            });
        } catch (RuntimeException | Error e) {
            // e.g. no thread could be started: the slot must come back, or the pool shrinks for good
            slots.release();
            wanting.decrementAndGet();
            throw e;
        }
        try {
            return running.get() ? Checked.MATCH : Checked.NO_MATCH;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Checked.NOT_RUN;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
