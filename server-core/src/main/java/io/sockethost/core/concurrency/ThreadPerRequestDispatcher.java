package io.sockethost.core.concurrency;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.ConcurrencyConfig;

/**
 * {@code threading}: each request on a thread of its own, at most {@code maxWorkers} at once. Platform
 * threads are pooled (an idle thread is reused for the next request, so short connections do not pay for
 * thread creation); with {@code virtualThreads} on a Java 21+ runtime, each request gets a virtual thread.
 * Past the bound, {@link #awaitCapacity} makes the accept loop wait, which leaves new clients in the
 * listen backlog: bounded memory, nothing refused.
 */
public final class ThreadPerRequestDispatcher implements RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(ThreadPerRequestDispatcher.class);

    private final String serverName;
    private final int maxWorkers;
    /** One permit per request that may run; those taken are the requests running now. */
    private final Semaphore permits;
    private final ExecutorService executor;
    private final boolean waitOnClose;
    private final boolean refuseWhenFull;
    /** What a stop drains and aborts. */
    private final Set<RunningRequest> running = ConcurrentHashMap.newKeySet();

    /**
     * The dispatcher of a {@code threading} server.
     *
     * @param refuseWhenFull past {@code maxWorkers}, turn a request away at once ({@link IncomingRequest#refuse})
     *     instead of leaving the next ones in the listen backlog, where a client cannot tell a full server from
     *     a dead one and waits for its connect to time out
     */
    public ThreadPerRequestDispatcher(String serverName, ConcurrencyConfig concurrency, boolean refuseWhenFull) {
        this(serverName, concurrency.maxWorkers(), concurrency.virtualThreads(), concurrency.daemonThreads(),
                concurrency.blockOnClose(), refuseWhenFull);
    }

    /**
     * @param maxWorkers most requests running at once
     * @param virtualThreads a virtual thread per request where the runtime has them
     * @param daemonThreads platform threads that do not keep the JVM alive (and are not waited for on close)
     * @param blockOnClose {@link #close} waits for running requests
     * @param refuseWhenFull see {@link #ThreadPerRequestDispatcher(String, ConcurrencyConfig, boolean)}
     */
    public ThreadPerRequestDispatcher(String serverName, int maxWorkers, boolean virtualThreads, boolean daemonThreads,
                                      boolean blockOnClose, boolean refuseWhenFull) {
        this.serverName = serverName;
        this.refuseWhenFull = refuseWhenFull;
        this.maxWorkers = maxWorkers;
        this.permits = new Semaphore(maxWorkers);
        this.waitOnClose = blockOnClose && !daemonThreads;
        ExecutorService virtual = virtualThreads ? VirtualThreads.newExecutor() : null;
        if (virtualThreads && virtual == null) {
            log.warn("server {}: virtual threads need Java 21 or later; using platform threads", serverName);
        }
        this.executor = virtual != null ? virtual : platformPool(serverName, daemonThreads);
    }

    private static ExecutorService platformPool(String serverName, boolean daemon) {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, serverName + "-worker-" + counter.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        });
    }

    @Override
    public boolean awaitCapacity(Duration max) throws InterruptedException {
        if (refuseWhenFull) {
            return true; // the loop takes every request in; dispatch turns away those past the cap
        }
        if (permits.tryAcquire(max.toNanos(), TimeUnit.NANOSECONDS)) {
            permits.release(); // only a check: dispatch takes the permit
            return true;
        }
        return false;
    }

    @Override
    public void dispatch(IncomingRequest request) {
        dispatch(request, request::serve);
    }

    /**
     * Runs {@code work} for {@code request} on a thread of its own, as {@link #dispatch(IncomingRequest)}
     * runs {@code request.serve()}; for dispatchers that serve requests elsewhere and need a thread to wait.
     * Past the cap it waits for a thread, or refuses the request if this dispatcher refuses when full.
     */
    public void dispatch(IncomingRequest request, Runnable work) {
        if (refuseWhenFull) {
            if (!permits.tryAcquire()) {
                request.refuse();
                return;
            }
        } else {
            permits.acquireUninterruptibly();
        }
        running.add(request);
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } finally {
                    running.remove(request);
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            running.remove(request);
            permits.release();
            log.error("server {}: cannot start a worker thread; closing the connection of client {}", serverName,
                    request.client(), e);
            closeQuietly(request);
        }
    }

    @Override
    public void drain() {
        running.forEach(RunningRequest::drain);
    }

    @Override
    public int active() {
        return maxWorkers - permits.availablePermits();
    }

    @Override
    public boolean close(Duration deadline) {
        executor.shutdown();
        boolean finished = false;
        if (waitOnClose) {
            try {
                finished = executor.awaitTermination(deadline.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean clean = finished || active() == 0;
        if (!clean) {
            log.warn("server {}: closing {} request(s) still running", serverName, active());
            running.forEach(ThreadPerRequestDispatcher::closeQuietly);
            executor.shutdownNow();
        }
        return clean;
    }

    private static void closeQuietly(RunningRequest c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing an aborted request", e);
        }
    }

    /** Virtual threads, looked up reflectively so the host still compiles for Java 17. */
    static final class VirtualThreads {
        private VirtualThreads() {
        }

        static ExecutorService newExecutor() {
            try {
                return (ExecutorService) MethodHandles.publicLookup()
                        .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
                                MethodType.methodType(ExecutorService.class))
                        .invoke();
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return null;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot create a virtual thread executor", e);
            }
        }
    }
}
