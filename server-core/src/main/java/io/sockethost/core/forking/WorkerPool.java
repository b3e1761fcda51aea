package io.sockethost.core.forking;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.ServerEvents;

/**
 * The worker processes of one forking server, and their supervision.
 *
 * <p>Workers connect to the pool's {@link RelaySocket} when they are ready for a request; such an idle
 * connection is what {@link #acquire} hands out. The pool keeps {@code warmWorkers} spare workers (idle,
 * starting, or finishing a request) ahead of demand, starts more while requests wait, lets surplus idle
 * ones go slowly, and never has more than {@code maxChildren}
 * processes alive: a replacement is started only once the process it replaces has exited. Every exit is
 * reaped ({@link Process#onExit()}); an unexpected one is logged with the server, the pid, the cause and the
 * client it was serving, and the worker is replaced. A request running longer than {@code requestTimeout}
 * has its worker killed. Workers that keep dying before they are ready put the pool in a failed state that
 * refuses requests (instead of letting them wait forever) and retries with a growing delay.
 *
 * <p>Thread-safe: {@link #acquire} is called by the server's request threads, the rest by the pool's own
 * threads (the relay acceptor, the supervisor, the JDK's process reaper).
 */
final class WorkerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    /** How long stopped workers get to exit before they are killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** A worker that has not connected this long after it started is killed as hung. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Workers starting at once, at most. A JVM start is about a second of CPU; a burst of a hundred
     * connections starting a hundred JVMs together on a few cores would take minutes for each, past
     * {@link #START_TIMEOUT}, and starve the workers already serving. Started a few at a time, each is ready
     * in about a second and the waiting requests are served in turn (Apache's prefork also ramps up).
     */
    private static final int MAX_STARTING = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Consecutive workers dying before they are ready that make the pool refuse requests. */
    private static final int FAILED_STARTS_LIMIT = 3;
    private static final long MAX_RETRY_DELAY_MILLIS = 30_000;
    /**
     * How often one idle worker beyond {@code warmWorkers} is let go: slowly, as Apache's prefork does, so
     * that a pool grown by a burst does not thrash (a worker costs a JVM start) but does not keep
     * {@code maxChildren} idle JVMs forever either.
     */
    private static final Duration TRIM_INTERVAL = Duration.ofSeconds(5);
    /**
     * How long after a request takes a worker the pool checks its spare workers, and how long a shortfall
     * must last before it starts one. Not at once: with short connections the previous request is often
     * still winding down when the next takes a worker, and counting that one as lost would start JVMs that
     * are not needed. (Exits, and requests waiting longer than {@link #WAIT_GRACE}, start workers at once.)
     */
    private static final Duration REFILL_DELAY = Duration.ofMillis(250);
    /**
     * How long a request waits for a worker that is about to be free before it counts as demand for a new
     * one: the previous request of a short connection is usually a moment from done.
     */
    private static final Duration WAIT_GRACE = Duration.ofMillis(100);

    /** An idle worker and the connection it waits on. */
    private record Ready(Worker worker, SocketChannel channel) {
    }

    private final String name;
    private final ConcurrencyConfig limits;
    private final WorkerLauncher launcher;
    /**
     * Whether requests hand the client's connection over to the worker instead of relaying its bytes; a
     * datagram travels in the request itself, so datagram servers never hand anything over.
     */
    private final boolean handOff;
    /** Whether the server's requests are datagrams. */
    private final boolean datagrams;
    /** What the client of a worker that died while serving it loses, for the log line that says so. */
    private final String lost;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Long, Worker> live = new LinkedHashMap<>();
    private final Deque<Ready> idle = new ArrayDeque<>();
    private final ScheduledExecutorService supervisor;
    private int launching;
    private int waiting;
    private int failedStarts;
    private String failure;
    private long nextId = 1;
    private boolean closed;
    private boolean refillScheduled;
    /** The last refill check found too few spare workers. */
    private boolean shortfallSeen;
    private RelaySocket relay;
    private String boundAddress;
    /** Set before {@link #start}; read by the supervisor and reaper threads that start after it. */
    private volatile ServerEvents events = ServerEvents.NONE;

    WorkerPool(ServerConfig config, WorkerLauncher launcher) {
        this.name = config.name();
        this.limits = config.concurrency();
        this.launcher = launcher;
        this.datagrams = !config.transport().isStream();
        this.handOff = !datagrams && SocketDescriptors.available();
        this.lost = datagrams ? "its datagram gets no reply" : "its connection is closed";
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + "-worker-supervisor");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.supervisor = executor;
    }

    /** Reports worker starts and exits to {@code events}; called before {@link #start}. */
    void observe(ServerEvents events) {
        this.events = events;
    }

    /**
     * Opens the relay socket and starts the warm workers.
     *
     * @param bound the server's bound address, which handlers in the workers see
     */
    void start(SocketAddress bound) throws IOException {
        boundAddress = Addresses.format(bound);
        relay = RelaySocket.open(name, limits.maxChildren() + 16, handOff, this::arrived);
        if (handOff) {
            log.debug("server {}: hands each connection over to a worker process", name);
        } else if (datagrams) {
            log.debug("server {}: passes each datagram to a worker process and sends its reply", name);
        } else {
            log.info("server {}: relays each connection's bytes to a worker process; start the JVM with {} to hand "
                    + "connections over, which is several times faster", name, SocketDescriptors.JVM_OPTION);
        }
        lock.lock();
        try {
            topUp();
        } finally {
            lock.unlock();
        }
        supervisor.scheduleWithFixedDelay(this::trimIdle, TRIM_INTERVAL.toMillis(), TRIM_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Lets the least recently used idle worker go if more than {@code warmWorkers} are idle. */
    private void trimIdle() {
        Ready surplus;
        lock.lock();
        try {
            if (closed || idle.size() <= limits.warmWorkers() + waiting) {
                return;
            }
            surplus = idle.pollFirst();
            surplus.worker.state = Worker.State.RETIRING; // its exit is expected
        } finally {
            lock.unlock();
        }
        closeQuietly(surplus.channel); // the worker reads the end of its connection and exits
        log.debug("server {}: letting idle worker pid {} go ({} warm wanted)", name, surplus.worker.pid(),
                limits.warmWorkers());
    }

    /**
     * Waits for an idle worker and hands it a request from {@code client}.
     *
     * @throws IOException if the pool is closing or its workers keep failing to start
     */
    Lease acquire(SocketAddress client) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            long graceEnd = System.nanoTime() + WAIT_GRACE.toNanos();
            boolean counted = false;
            try {
                while (true) {
                    if (closed) {
                        throw new IOException("server " + name + " is stopping");
                    }
                    Ready ready;
                    while ((ready = idle.pollLast()) != null) { // the most recently used worker is the warmest
                        if (ready.worker.process.isAlive()) {
                            return hand(ready, client);
                        }
                        closeQuietly(ready.channel);
                    }
                    if (failure != null) {
                        throw new IOException(failure);
                    }
                    long grace = graceEnd - System.nanoTime();
                    if (!counted && grace > 0) {
                        changed.awaitNanos(grace);
                        continue;
                    }
                    if (!counted) {
                        counted = true;
                        waiting++;
                        topUp();
                    }
                    changed.await();
                }
            } finally {
                if (counted) {
                    waiting--;
                }
                refillSoon();
            }
        } finally {
            lock.unlock();
        }
    }

    private Lease hand(Ready ready, SocketAddress client) {
        Worker worker = ready.worker;
        worker.state = Worker.State.BUSY;
        worker.handed++;
        worker.client = client;
        ScheduledFuture<?> timeout = null;
        if (limits.requestTimeout() != null) {
            int request = worker.handed;
            timeout = supervisor.schedule(() -> timedOut(worker, request), limits.requestTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        return new Lease(this, worker, worker.handed, ready.channel, handOff, timeout);
    }

    /**
     * A request is winding down (its client has closed its side) or over. Unless the worker has served its
     * quota, it will connect again in a moment: it counts as spare already, so that short connections do
     * not make the pool start workers it has.
     *
     * @param request the number of the worker's request this is about; a later one is left alone
     */
    void released(Worker worker, int request) {
        lock.lock();
        try {
            boolean quotaLeft = limits.requestsPerChild() == 0 || worker.handed < limits.requestsPerChild();
            if (worker.state == Worker.State.BUSY && worker.handed == request && quotaLeft) {
                worker.state = Worker.State.RETURNING;
            }
        } finally {
            lock.unlock();
        }
    }

    private void timedOut(Worker worker, int request) {
        lock.lock();
        try {
            if (live.get(worker.id) == worker && worker.completed < request) {
                worker.kill("its request ran longer than requestTimeout (" + seconds(limits.requestTimeout()) + ")");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Schedules a refill check (one at a time). Lock held. */
    private void refillSoon() {
        if (refillScheduled || closed) {
            return;
        }
        refillScheduled = true;
        supervisor.schedule(this::refillCheck, REFILL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts spare workers if two checks in a row found too few; a first shortfall is looked at again. */
    private void refillCheck() {
        lock.lock();
        try {
            refillScheduled = false;
            if (spareShortfall() <= 0) {
                shortfallSeen = false;
            } else if (shortfallSeen) {
                shortfallSeen = false;
                topUp();
            } else {
                shortfallSeen = true;
                refillSoon();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts workers until {@code warmWorkers} (plus one per waiting request) are idle, starting or returning
     * from a request, within {@code maxChildren} and {@link #MAX_STARTING} at a time (each ready worker starts
     * the next). After repeated failed starts, one at a time with a growing delay. Lock held.
     */
    private void topUp() {
        if (closed || relay == null) {
            return;
        }
        int room = limits.maxChildren() - live.size() - launching;
        int count = Math.min(Math.min(room, spareShortfall()), MAX_STARTING - starting());
        long delay = 0;
        if (failedStarts >= FAILED_STARTS_LIMIT) {
            count = starting() == 0 ? Math.min(count, 1) : 0;
            delay = Math.min(MAX_RETRY_DELAY_MILLIS, 1000L << Math.min(15, failedStarts - FAILED_STARTS_LIMIT));
        }
        for (int i = 0; i < count; i++) {
            launching++;
            supervisor.schedule(this::launchOne, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** @return how many workers short of {@code warmWorkers} spare plus one per waiting request. Lock held. */
    private int spareShortfall() {
        int returning = 0;
        for (Worker w : live.values()) {
            if (w.state == Worker.State.RETURNING) {
                returning++;
            }
        }
        return limits.warmWorkers() + waiting - idle.size() - starting() - returning;
    }

    /** @return workers being launched or started and not yet ready. Lock held. */
    private int starting() {
        int starting = launching;
        for (Worker w : live.values()) {
            if (w.state == Worker.State.STARTING) {
                starting++;
            }
        }
        return starting;
    }

    private void launchOne() {
        long id;
        lock.lock();
        try {
            id = nextId++;
        } finally {
            lock.unlock();
        }
        Worker worker;
        try {
            worker = launcher.launch(id, relay.path(), boundAddress, handOff);
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                launching--;
                failedStarts++;
                if (failedStarts >= FAILED_STARTS_LIMIT) {
                    failure = "server " + name + ": cannot start worker processes: " + e.getMessage();
                }
                changed.signalAll();
                topUp();
            } finally {
                lock.unlock();
            }
            log.error("server {}: cannot start a worker process: {}", name, e.toString());
            return;
        }
        lock.lock();
        try {
            launching--;
            live.put(id, worker);
            events.workerStarted();
            worker.process.onExit().thenRun(() -> reap(worker));
            if (closed) {
                worker.stop();
                return;
            }
            supervisor.schedule(() -> startTimedOut(worker), START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
        log.debug("server {}: started worker pid {}", name, worker.pid());
    }

    private void startTimedOut(Worker worker) {
        lock.lock();
        try {
            if (live.get(worker.id) == worker && worker.state == Worker.State.STARTING) {
                worker.kill("it did not connect within " + seconds(START_TIMEOUT) + " of starting");
            }
        } finally {
            lock.unlock();
        }
    }

    private void arrived(RelayProtocol.Hello hello, SocketChannel channel) {
        Worker worker;
        boolean first;
        lock.lock();
        try {
            worker = live.get(hello.workerId());
            if (worker == null || closed) {
                closeQuietly(channel);
                return;
            }
            worker.completed = worker.handed; // connecting again means its last request is done
            first = worker.state == Worker.State.STARTING;
            if (first) {
                failedStarts = 0;
                failure = null;
                topUp(); // a start slot is free
            }
            if (hello.kind() == RelayProtocol.RETIRING) {
                worker.state = Worker.State.RETIRING;
                closeQuietly(channel);
            } else {
                worker.state = Worker.State.IDLE;
                idle.addLast(new Ready(worker, channel));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            long millis = worker.process.info().startInstant()
                    .map(t -> Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
            log.debug("server {}: worker pid {} ready ({} ms after start)", name, worker.pid(), millis);
        }
    }

    /** Called once a worker's process has exited: forget it, say why if unexpected, replace it. */
    private void reap(Worker worker) {
        int status = worker.process.exitValue();
        String cause;
        String where;
        boolean expected;
        boolean beforeReady;
        boolean stopping;
        lock.lock();
        try {
            live.remove(worker.id);
            idle.removeIf(r -> {
                if (r.worker == worker) {
                    closeQuietly(r.channel);
                    return true;
                }
                return false;
            });
            cause = worker.exitCause(status);
            where = worker.whereabouts();
            stopping = closed;
            beforeReady = worker.state == Worker.State.STARTING;
            expected = stopping || (worker.state == Worker.State.RETIRING && status == 0 && !worker.serving());
            if (beforeReady && !stopping) {
                failedStarts++;
                if (failedStarts >= FAILED_STARTS_LIMIT) {
                    failure = "server " + name + ": worker processes keep failing to start; the last, pid " + worker.pid()
                            + ", " + cause + " (its output is in the log above)";
                }
            }
            changed.signalAll();
            topUp();
        } finally {
            lock.unlock();
        }
        events.workerExited(!expected);
        if (expected) {
            log.debug("server {}: worker pid {} {} {}", name, worker.pid(), cause, where);
        } else if (beforeReady) {
            log.error("server {}: worker pid {} {} {} (its output is in the log above); starting another", name,
                    worker.pid(), cause, where);
        } else {
            log.warn("server {}: worker pid {} {} {}; {} and a new worker replaces it", name, worker.pid(), cause,
                    where, lost);
        }
    }

    /** @return whether {@link #close} has begun, after which {@link #acquire} refuses every request */
    boolean closing() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops every worker: closes the relay socket, ends each worker's stdin (which makes it exit), kills
     * those still alive after a grace period, and returns once every process has been reaped.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (relay != null) {
            relay.close(); // no more workers get ready
        }
        // No launch may be under way once the workers are counted below.
        supervisor.shutdownNow();
        awaitQuietly(supervisor);
        List<Worker> workers;
        CompletableFuture<?> all;
        lock.lock();
        try {
            idle.forEach(r -> closeQuietly(r.channel));
            idle.clear();
            workers = List.copyOf(live.values());
            all = CompletableFuture.allOf(workers.stream().map(w -> w.process.onExit()).toArray(CompletableFuture[]::new));
        } finally {
            lock.unlock();
        }
        workers.forEach(Worker::stop);
        if (!await(all, STOP_GRACE)) {
            workers.stream().filter(w -> w.process.isAlive()).forEach(w -> {
                log.warn("server {}: worker pid {} did not exit within {}; killing it", name, w.pid(), seconds(STOP_GRACE));
                w.process.destroyForcibly();
            });
            if (!await(all, Duration.ofSeconds(10))) {
                log.error("server {}: worker processes did not exit after SIGKILL", name);
            }
        }
    }

    private static boolean await(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // a reap callback failed; the processes have exited all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            log.debug("closing {}", c, e);
        }
    }
}
