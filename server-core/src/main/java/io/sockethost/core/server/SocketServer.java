package io.sockethost.core.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.ServerEvents;

/**
 * Python's {@code BaseServer}: one listening socket and the loop that serves it.
 *
 * <p>Lifecycle: {@link #open()} binds and listens (Python's constructor); then either
 * {@link #serveForever()} on a thread of the caller's choosing, stopped from another thread by
 * {@link #shutdown()}, or {@link #handleRequest()} for one request at a time; finally {@link #close()}
 * releases the socket. {@code shutdown}, {@code close} and {@code boundAddress} are thread-safe; the serve
 * methods run on one thread at a time.
 */
public abstract sealed class SocketServer implements AutoCloseable permits StreamServer, DatagramServer {
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    /** How long {@link #close()} lets running requests finish when no deadline is given. */
    public static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(10);
    /** Consecutive selector failures the serve loop rides out (a signal may interrupt junixsocket's poll). */
    private static final int SELECT_FAILURES_TOLERATED = 3;

    private enum State { NEW, OPEN, CLOSED }

    protected final ServerConfig config;
    protected final ServerInfo info;
    protected final RequestLifecycle lifecycle;
    protected final RequestDispatcher dispatcher;
    private final Object stateLock = new Object();
    private State state = State.NEW;
    private Selector selector;
    private SelectionKey key;
    private volatile boolean shutdownRequested;
    private volatile boolean servingForever;
    private volatile CountDownLatch serving;

    private final PluginScope scope;
    /** What a client refused because the server is full receives first; null for nothing. */
    private volatile byte[] busyReply;
    private volatile long lastRequestNanos = System.nanoTime();
    /** Set before {@link #open()}; the serving threads start after it, so they see it. */
    ServerEvents events = ServerEvents.NONE;

    SocketServer(ServerConfig config, ServerHooks hooks, RequestDispatcher dispatcher, ServerLifecycle<?> pluginLifecycle) {
        this.config = config;
        this.info = ServerInfo.of(config);
        this.lifecycle = new RequestLifecycle(info, hooks);
        this.dispatcher = dispatcher;
        this.scope = new PluginScope(info, pluginLifecycle);
    }

    /**
     * Makes this server report to {@code events} (metrics). Call before {@link #open()}; until then, and
     * without a call, nothing is reported.
     *
     * @throws IllegalStateException if the server has opened already
     */
    public final void observe(ServerEvents events) {
        synchronized (stateLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("server " + config.name() + " is " + state);
            }
            this.events = events;
            lifecycle.observe(events);
            dispatcher.observe(events);
        }
    }

    /**
     * Binds and starts listening. After it returns, {@link #boundAddress()} is the real address.
     *
     * @throws IOException if the address cannot be bound; the message names the server and the address
     */
    public final void open() throws IOException {
        synchronized (stateLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("server " + config.name() + " is " + state);
            }
            try {
                SelectableChannel channel = bind();
                selector = channel.provider().openSelector(); // junixsocket channels need their own provider's selector
                key = channel.register(selector, readyOps(channel));
            } catch (IOException e) {
                closeChannel();
                throw new IOException("server " + config.name() + ": cannot listen on " + config.transport() + " "
                        + io.sockethost.core.config.Addresses.format(config.address()) + ": " + e.getMessage(), e);
            }
            info.boundTo(localAddress());
            try {
                dispatcher.open(info.boundAddress());
                scope.start();
                busyReply = scope.busyReply();
            } catch (IOException | RuntimeException e) {
                dispatcher.close(Duration.ZERO);
                closeChannel();
                afterClose();
                throw e;
            }
            state = State.OPEN;
        }
    }

    /**
     * Starts the server without binding it, for a process that serves requests another process accepted (a
     * forking worker, through {@link StreamServer#serveConnection}): handlers see {@code bound} as the
     * server's address, and the plugin's lifecycle starts. {@link #close()} ends it.
     *
     * @throws IOException if the plugin's lifecycle cannot start
     */
    public final void startUnbound(SocketAddress bound) throws IOException {
        synchronized (stateLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("server " + config.name() + " is " + state);
            }
            info.boundTo(bound);
            scope.start();
            state = State.OPEN;
        }
    }

    private static int readyOps(SelectableChannel channel) {
        return channel.validOps() & (SelectionKey.OP_ACCEPT | SelectionKey.OP_READ);
    }

    /** Creates, configures and binds the channel, in non-blocking mode. */
    abstract SelectableChannel bind() throws IOException;

    abstract SocketAddress localAddress() throws IOException;

    /**
     * Serves what is ready on the channel without blocking: accepts connections or receives datagrams. The
     * selector's selected keys are those of the wait that ended; the loop clears them afterwards.
     */
    abstract void serveReady() throws IOException;

    /** {@return the serve loop's selector, for channels a subclass registers beside its own; null before open} */
    final Selector selector() {
        return selector;
    }

    abstract void closeChannel();

    /** @return the bound address (the real port when the configuration asked for 0) */
    public SocketAddress boundAddress() {
        return info.boundAddress();
    }

    /** @return the requests running now */
    public int activeRequests() {
        return dispatcher.active();
    }

    /** @return what handlers see of this server */
    public ServerContext context() {
        return info;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Serves requests until {@link #shutdown()}: Python's {@code serve_forever(poll_interval)}. Checks for
     * shutdown and runs the {@code serviceActions} hook at least every {@code pollInterval}.
     */
    public final void serveForever() {
        CountDownLatch done = beginServing();
        servingForever = true;
        try {
            Duration poll = config.pollInterval();
            int selectFailures = 0;
            while (!shutdownRequested) {
                if (dispatcher.awaitCapacity(poll) && !shutdownRequested) {
                    int ready;
                    try {
                        // at least 1 ms: a poll interval under a millisecond is 0 whole ones, and select(0) waits
                        // forever
                        ready = selector.select(waitMillis(Math.max(1, poll.toMillis())));
                        selectFailures = 0;
                    } catch (IOException e) {
                        // junixsocket reports a poll interrupted by a signal (EINTR) as an exception; the JDK retries
                        if (!isOpen() || ++selectFailures > SELECT_FAILURES_TOLERATED) {
                            throw e;
                        }
                        log.debug("server {}: waiting for requests failed, retrying: {}", config.name(), e.toString());
                        continue;
                    }
                    if (ready > 0) {
                        serveReady(); // may look at the selected keys first
                        selector.selectedKeys().clear();
                    }
                    afterWait();
                }
                lifecycle.serviceActions();
                checkIdle();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (isOpen()) {
                throw new UncheckedIOException("server " + config.name() + ": serve loop failed", e);
            }
        } catch (java.nio.channels.ClosedSelectorException e) {
            // closed under us by close(): the loop ends
        } finally {
            servingForever = false;
            setInterest(true); // a loop that turned its interest off leaves the channel ready for handleRequest()
            loopEnded();
            shutdownRequested = false;
            serving = null;
            done.countDown();
        }
    }

    /** @return the plugin's reply to a client turned away because the server is full, or null (do not modify) */
    final byte[] busyReply() {
        return busyReply;
    }

    /** Notes that a request arrived, for the idle {@code timeout}; called for every request taken in. */
    final void requestArrived() {
        if (config.timeout() != null) { // a shared write per request only where someone reads it
            lastRequestNanos = System.nanoTime();
        }
    }

    /**
     * The descriptor's {@code timeout} under {@link #serveForever()}: once no request has arrived for that
     * long, the {@code handleTimeout} hook runs (and again after each further {@code timeout} without one),
     * as Python's {@code handle_request} calls {@code handle_timeout} when its wait runs out.
     */
    private void checkIdle() {
        Duration timeout = config.timeout();
        if (timeout != null && System.nanoTime() - lastRequestNanos >= timeout.toNanos()) {
            lastRequestNanos = System.nanoTime();
            lifecycle.handleTimeout();
        }
    }

    /**
     * @return how long the serve loop may wait on its selector now; a server whose workers receive on their
     *     own watches them more often
     */
    long waitMillis(long pollMillis) {
        return pollMillis;
    }

    /** Called by {@link #serveForever()} after every wait on the selector, whatever ended it. */
    void afterWait() {
    }

    /** Called by {@link #serveForever()} as its loop ends, on the loop's thread. */
    void loopEnded() {
    }

    /** Called once a stop is requested ({@link #shutdown()}, {@link #beginStop()}), on the caller's thread. */
    void stopRequested() {
    }

    /** @return whether {@link #serveForever()} is running (not {@link #handleRequest()}, which serves one request) */
    final boolean servingForever() {
        return servingForever;
    }

    /**
     * Turns the serve loop's interest in its channel off (from the serve loop only) or back on (from any
     * thread, waking the loop so that its next wait sees it).
     */
    final void watchChannel(boolean on) {
        setInterest(on);
        if (on) {
            selector.wakeup();
        }
    }

    private void setInterest(boolean on) {
        SelectionKey k = key;
        try {
            if (k != null && k.isValid()) {
                k.interestOps(on ? readyOps(k.channel()) : 0);
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed meanwhile: nothing to watch
        }
    }

    /**
     * Waits for and serves at most one request: Python's {@code handle_request()}. Waits up to the
     * configuration's {@code timeout} (forever if none); if nothing arrives, calls the
     * {@code handleTimeout} hook.
     *
     * @return true if a request was taken, false on timeout
     */
    public final boolean handleRequest() throws IOException {
        CountDownLatch done = beginServing();
        try {
            long waitMillis = config.timeout() == null ? 0 : Math.max(1, config.timeout().toMillis());
            if (dispatcher.awaitCapacity(config.timeout() == null ? Duration.ofDays(365) : config.timeout())
                    && selector.select(waitMillis) > 0) {
                selector.selectedKeys().clear();
                serveOne();
                return true;
            }
            lifecycle.handleTimeout();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            serving = null;
            done.countDown();
        }
    }

    /** Serves exactly one ready request, if the channel still has one. */
    abstract void serveOne() throws IOException;

    private CountDownLatch beginServing() {
        synchronized (stateLock) {
            if (state != State.OPEN) {
                throw new IllegalStateException("server " + config.name() + " is " + (state == State.NEW ? "not open" : "closed"));
            }
            if (serving != null) {
                throw new IllegalStateException("server " + config.name() + " is already serving");
            }
            CountDownLatch latch = new CountDownLatch(1);
            serving = latch;
            return latch;
        }
    }

    protected boolean stopping() {
        return shutdownRequested;
    }

    /**
     * Stops {@link #serveForever()} and returns once its loop has ended (within about one poll interval):
     * Python's {@code shutdown()}. Running requests are not interrupted; see {@link #close(Duration)}. If the
     * server is not serving yet, the request is kept and the next {@code serveForever()} returns at once (so
     * a shutdown racing a just-started serve thread is never lost); this call then returns without waiting.
     * Must not be called from the serving thread.
     */
    public final void shutdown() {
        requestShutdown();
        CountDownLatch latch = serving;
        if (latch == null) {
            return;
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes with the default deadline. */
    @Override
    public final void close() {
        close(DEFAULT_CLOSE_DEADLINE);
    }

    /**
     * Begins a graceful stop without waiting for it: the serve loop stops accepting, and every running
     * request is drained (its handler's next read sees the end of the input, so it finishes what it is
     * doing and returns). {@link #close(Duration)} completes the stop. Thread-safe, idempotent.
     */
    public final void beginStop() {
        requestShutdown();
        dispatcher.drain();
    }

    /** Makes the serve loop leave at its next turn, waking it if it waits on the selector. */
    private void requestShutdown() {
        shutdownRequested = true;
        stopRequested();
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /**
     * Stops gracefully: stops accepting, drains running requests ({@link #beginStop()}), lets them finish
     * for up to {@code deadline} (if {@code blockOnClose}), then closes the connections still open,
     * releases the socket and removes a socket file: Python's {@code shutdown()} plus {@code server_close()}.
     * Idempotent.
     *
     * @return true if every running request finished on its own before the deadline
     */
    public final boolean close(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        beginStop();
        CountDownLatch loop = serving;
        boolean loopEnded = loop == null || awaitQuietly(loop, deadline.toNanos());
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                return true;
            }
            state = State.CLOSED;
            closeChannel();
            try {
                if (selector != null) {
                    selector.close();
                }
            } catch (IOException e) {
                log.debug("server {}: closing selector", config.name(), e);
            }
        }
        boolean finished = dispatcher.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        if (!loopEnded) {
            // a sync server's loop was inside its request, which dispatcher.close() has just closed
            awaitQuietly(loop, Duration.ofSeconds(5).toNanos());
        }
        afterClose();
        scope.stop();
        return finished && loopEnded;
    }

    private static boolean awaitQuietly(CountDownLatch latch, long nanos) {
        try {
            return latch.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Cleanup after the socket and the requests are closed (e.g. removing a socket file). */
    void afterClose() {
    }

    public boolean isOpen() {
        synchronized (stateLock) {
            return state == State.OPEN;
        }
    }

    @Override
    public String toString() {
        return config.name() + " (" + config.transport() + " " + io.sockethost.core.config.Addresses.format(boundAddress()) + ")";
    }
}
