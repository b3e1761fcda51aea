package io.sockethost.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.core.activation.InheritedSockets;
import io.sockethost.core.concurrency.IncomingDatagram;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.Refusal;

/**
 * Python's {@code UDPServer} and {@code UnixDatagramServer}: receives datagrams (up to
 * {@code maxPacketSize} bytes; longer ones are truncated) and serves each with a new
 * {@link DatagramHandler}, then sends the handler's reply to the sender.
 *
 * <p>With a dispatcher that runs requests on other threads ({@code threading}), a worker that has served its
 * datagram under {@link #serveForever()} goes on to receive and serve the next ones itself, one at a time,
 * as a {@code sync} server would: handing every datagram from the serve loop to a worker costs a thread
 * wake-up each, which is most of the work of an echo. Meanwhile the serve loop stops watching the channel
 * but looks every {@value #WATCH_MILLIS} ms whether a worker is ready for the next datagram or has taken one
 * since; if not (each is busy in a slow handler), it receives and dispatches to another worker again, so a
 * slow handler holds up the others by about that long. Requests still run on at most {@code maxWorkers}
 * threads, never on the serve loop's. {@link #handleRequest()} serves exactly one datagram, as before.
 */
public final class DatagramServer extends SocketServer {
    private static final Logger log = LoggerFactory.getLogger(DatagramServer.class);
    private static final int RECEIVE_BATCH = 64;
    /** How often the serve loop checks that receiving workers make progress. */
    static final long WATCH_MILLIS = 1;

    private final Supplier<? extends DatagramHandler> handlers;
    private final DatagramChannelFactory channels;
    private final Refusals refusals;
    private final UnixSocketFile socketFile;
    /** The serve loop's buffer; receiving workers have their own. */
    private final ByteBuffer receiveBuffer;
    private final boolean workersReceive;
    /** Workers now receiving on their own. */
    private final AtomicInteger receivingWorkers = new AtomicInteger();
    /** Datagrams taken by receiving workers; the serve loop compares it from one look to the next. */
    private final AtomicLong takenByWorkers = new AtomicLong();
    /**
     * Where the one receiving worker that waits for the next datagram waits (with {@code threading}; null
     * otherwise). One for the server, made once: a selector per waiting worker cost a selector's creation and
     * teardown (five system calls) each time a worker began to wait. The channel's socket is released only
     * once every selector it is registered with has let it go, so closing the server closes it too.
     */
    private Selector workersSelector;
    /** Whether a receiving worker is waiting on {@link #workersSelector}: one at a time. */
    private final AtomicBoolean workerWaiting = new AtomicBoolean();
    /**
     * The serve loop has turned its interest in the channel off and watches the receiving workers instead;
     * written by the serve loop only (volatile for the workers).
     */
    private volatile boolean watchingWorkers;
    private long takenAtLastLook;
    private DatagramChannel channel;

    /** A datagram taken off the channel: its bytes, its sender as the channel knows it and as handlers see it. */
    private record Received(byte[] payload, SocketAddress replyTo, SocketAddress client) {
        /** Taken, but not to be served: refused by the rules or the verify hook, or an ICMP error. */
        static final Received DROPPED = new Received(null, null, null);
    }

    /** A received datagram on its way through the dispatcher: nothing to drain or close. */
    private final class Incoming implements IncomingDatagram {
        private final Received datagram;

        Incoming(Received datagram) {
            this.datagram = datagram;
        }

        @Override
        public SocketAddress client() {
            return datagram.client();
        }

        @Override
        public void serve() {
            serveThenReceive(datagram);
        }

        @Override
        public ByteBuffer payload() {
            return ByteBuffer.wrap(datagram.payload()).asReadOnlyBuffer();
        }

        @Override
        public void reply(ByteBuffer reply) {
            send(reply, datagram.replyTo(), datagram.client());
        }

        @Override
        public void refuse() {
            events.refused(Refusal.BUSY);
            refusals.refused(datagram.client(), "datagram dropped: every worker is busy");
        }

        @Override
        public void close() {
        }
    }

    /** Opens the channel for a transport; Unix datagram channels come from a library the JDK lacks. */
    public interface DatagramChannelFactory {
        DatagramChannel open(ServerConfig config) throws IOException;

        /** @return the address to bind, in the form the channel accepts */
        default SocketAddress bindAddress(ServerConfig config) throws IOException {
            return config.address();
        }

        /** @return the sender as handlers see it (a JDK address type) */
        default SocketAddress clientAddress(SocketAddress received) {
            return received;
        }
    }

    /** The JDK's channels: UDP over IPv4 or IPv6. */
    public static final DatagramChannelFactory UDP = config -> DatagramChannel.open(
            ((InetSocketAddress) config.address()).getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);

    /** junixsocket's Unix datagram channel; senders appear to handlers as {@link java.net.UnixDomainSocketAddress}. */
    public static final DatagramChannelFactory UNIX = new UnixDatagramChannels();

    /**
     * @param handlers makes a new handler for each datagram; may throw to drop the datagram
     * @param hooks the plugin's hooks, or a no-op instance
     * @param dispatcher runs the received datagrams
     * @param channels opens the channel for the transport
     * @param pluginLifecycle the plugin's lifecycle for this server, or null
     */
    public DatagramServer(ServerConfig config, Supplier<? extends DatagramHandler> handlers, ServerHooks hooks,
                          RequestDispatcher dispatcher, DatagramChannelFactory channels, ServerLifecycle<?> pluginLifecycle) {
        super(config, hooks, dispatcher, pluginLifecycle);
        if (config.transport().isStream()) {
            throw new IllegalArgumentException("server " + config.name() + ": " + config.transport() + " is not a datagram transport");
        }
        this.handlers = handlers;
        this.channels = channels;
        this.refusals = new Refusals(config.name());
        this.socketFile = config.transport().isUnix() ? new UnixSocketFile(config) : null;
        this.receiveBuffer = ByteBuffer.allocateDirect(config.maxPacketSize());
        this.workersReceive = !dispatcher.runsOnCallerThread();
    }

    /** A server without a plugin lifecycle, for this package's tests. */
    DatagramServer(ServerConfig config, Supplier<? extends DatagramHandler> handlers, ServerHooks hooks,
                   RequestDispatcher dispatcher, DatagramChannelFactory channels) {
        this(config, handlers, hooks, dispatcher, channels, null);
    }

    @Override
    SelectableChannel bind() throws IOException {
        DatagramChannel inherited = InheritedSockets.ofThisProcess().takeDatagram(config); // socket activation
        if (inherited != null) {
            log.info("server {}: uses the socket systemd passed", config.name());
            channel = inherited;
        } else {
            bindOwn();
        }
        channel.configureBlocking(false);
        if (workersReceive) {
            workersSelector = channel.provider().openSelector();
            channel.register(workersSelector, SelectionKey.OP_READ);
        }
        return channel;
    }

    private void bindOwn() throws IOException {
        if (socketFile != null) {
            socketFile.prepare();
        }
        channel = channels.open(config);
        if (socketFile == null) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, config.allowReuseAddress());
            if (config.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
        }
        channel.bind(channels.bindAddress(config));
        if (socketFile != null) {
            socketFile.applyMode();
        }
    }

    @Override
    SocketAddress localAddress() throws IOException {
        return channels.clientAddress(channel.getLocalAddress());
    }

    @Override
    void serveReady() throws IOException {
        // Once workers receive on their own, the rest is theirs.
        for (int i = 0; i < RECEIVE_BATCH && !stopping() && !watchingWorkers; i++) {
            if (!receiveOne()) {
                return;
            }
        }
    }

    @Override
    void serveOne() throws IOException {
        receiveOne();
    }

    /** @return false if no datagram was waiting */
    private boolean receiveOne() throws IOException {
        Received datagram = receive(receiveBuffer);
        if (datagram == null) {
            return false;
        }
        if (datagram != Received.DROPPED) {
            dispatcher.dispatch(new Incoming(datagram));
            if (workersReceive && servingForever() && receivingWorkers.get() > 0) {
                stopWatching();
            }
        }
        return true;
    }

    /** @return the next datagram, {@link Received#DROPPED}, or null if none is waiting */
    private Received receive(ByteBuffer buffer) throws IOException {
        buffer.clear();
        SocketAddress replyTo;
        try {
            replyTo = channel.receive(buffer);
        } catch (java.net.PortUnreachableException e) {
            return Received.DROPPED; // an ICMP error for an earlier reply: nothing to serve
        }
        if (replyTo == null) {
            return null;
        }
        requestArrived();
        buffer.flip();
        byte[] payload = new byte[buffer.remaining()];
        buffer.get(payload);
        SocketAddress client = channels.clientAddress(replyTo);
        Refusal refusal = !config.clientRules().permits(client) ? Refusal.RULES
                : !lifecycle.verify(client) ? Refusal.VERIFY : null;
        if (refusal != null) {
            events.refused(refusal);
            refusals.refused(client, refusal == Refusal.RULES ? "datagram dropped: not allowed by verify.allow/verify.deny"
                    : "datagram dropped: refused by the plugin's verify hook");
            return Received.DROPPED;
        }
        events.bytesIn(payload.length);
        return new Received(payload, replyTo, client);
    }

    /**
     * A worker's request: its datagram, then, under serveForever, the datagrams after it while there are
     * any. One receiving worker at a time also waits for the next datagram (on a selector of its own, for up
     * to the poll interval); any other that finds the channel empty goes back to the pool.
     */
    private void serveThenReceive(Received first) {
        serve(first.payload(), first.replyTo(), first.client());
        if (!workersReceive || !servingForever() || stopping()) {
            return;
        }
        receivingWorkers.incrementAndGet();
        try {
            ByteBuffer buffer = ByteBuffer.allocate(config.maxPacketSize());
            while (servingForever() && !stopping()) {
                Received next = receive(buffer);
                if (next == null) {
                    if (!awaitDatagram()) {
                        return; // another worker already waits (one is enough), or the wait ended for good
                    }
                    continue;
                }
                takenByWorkers.incrementAndGet();
                if (next != Received.DROPPED) {
                    serve(next.payload(), next.replyTo(), next.client());
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // the channel was closed (the server stops) or failed: the serve loop meets and reports it
            log.debug("server {}: a worker stopped receiving: {}", config.name(), e.toString());
        } finally {
            if (receivingWorkers.decrementAndGet() == 0 && watchingWorkers) {
                watchChannel(true); // no worker receives any more: the serve loop must
            }
        }
    }

    /** @return true if a datagram may be waiting now; false if this worker should go back to the pool */
    private boolean awaitDatagram() throws IOException {
        if (!workerWaiting.compareAndSet(false, true)) {
            return false; // another worker waits
        }
        try {
            if (stopping() || !servingForever()) {
                return false;
            }
            // select(0) would wait forever
            int ready = workersSelector.select(Math.max(1, config.pollInterval().toMillis()));
            workersSelector.selectedKeys().clear();
            return ready > 0;
        } finally {
            workerWaiting.set(false);
        }
    }

    private static void closeQuietly(Selector selector) {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing registered on it matters any more
        }
    }

    /** Wakes the worker waiting for a datagram, so that it sees the stop. */
    @Override
    void stopRequested() {
        if (workerWaiting.get()) {
            workersSelector.wakeup();
        }
    }

    /** Serve loop: leaves the channel to the receiving workers, and watches them. */
    private void stopWatching() {
        if (watchingWorkers) {
            return;
        }
        watchingWorkers = true;
        takenAtLastLook = takenByWorkers.get();
        watchChannel(false);
        if (receivingWorkers.get() == 0) {
            resumeReceiving(); // the last worker left before it could see watchingWorkers
        }
    }

    private void resumeReceiving() {
        watchingWorkers = false;
        watchChannel(true);
    }

    @Override
    void loopEnded() {
        watchingWorkers = false;
    }

    @Override
    long waitMillis(long pollMillis) {
        return watchingWorkers ? WATCH_MILLIS : pollMillis;
    }

    /**
     * While workers receive, the serve loop steps in only when none of them could take a datagram for a
     * whole look: none waits for one and none has taken one (each is busy in a handler), or none is left.
     */
    @Override
    void afterWait() {
        if (!watchingWorkers) {
            return;
        }
        long taken = takenByWorkers.get();
        if (receivingWorkers.get() == 0 || !workerWaiting.get() && taken == takenAtLastLook) {
            resumeReceiving();
        } else {
            takenAtLastLook = taken;
        }
    }

    /**
     * @param replyTo the sender as the channel knows it
     * @param client the sender as handlers see it
     */
    private void serve(byte[] payload, SocketAddress replyTo, SocketAddress client) {
        ByteBuffer reply = handle(payload, client);
        if (reply != null) {
            send(reply, replyTo, client);
        }
    }

    /**
     * Serves a datagram another process received, as this server serves its own, but returns the reply
     * instead of sending it: a forking worker's request, whose reply the host sends from the server's socket.
     * The server must have started ({@link #startUnbound}). Runs on the caller's thread; never throws (a
     * handler's failure goes to the {@code handleError} hook, as always).
     *
     * @param client the sender as handlers see it
     * @return the reply to send, or {@code null} if there is none (the handler discarded it, or setup or
     *     finish failed)
     */
    public ByteBuffer serveReceived(ByteBuffer payload, SocketAddress client) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return handle(bytes, client);
    }

    /**
     * Python's {@code finish_request} for a datagram: runs a new handler over it.
     *
     * @return what the handler wrote, sent as Python's {@code finish()} sends it also when {@code handle}
     *     threw; {@code null} if the handler discarded its reply, or its setup or finish failed
     */
    private ByteBuffer handle(byte[] payload, SocketAddress client) {
        DatagramHandler handler;
        try {
            handler = handlers.get();
        } catch (RuntimeException | LinkageError e) {
            lifecycle.failed(client, "creating the handler", e);
            return null;
        }
        DatagramExchange exchange = new DatagramExchange(payload, client, info);
        boolean ok = lifecycle.run(client, new RequestLifecycle.Steps() {
            @Override
            public void setup() throws Exception {
                handler.setup(exchange);
            }

            @Override
            public void handle() throws Exception {
                handler.handle(exchange);
            }

            @Override
            public void finish() throws Exception {
                handler.finish(exchange);
            }
        });
        return ok ? exchange.replyOrNull() : null;
    }

    /** Sends a reply from the server's socket; a failure goes to the {@code handleError} hook. */
    private void send(ByteBuffer reply, SocketAddress replyTo, SocketAddress client) {
        try {
            int sent = channel.send(reply, replyTo);
            if (sent == 0) {
                log.debug("server {}: send buffer full, reply to {} dropped", config.name(), client);
            }
            events.bytesOut(sent);
        } catch (IOException e) {
            lifecycle.failed(client, "sending the reply", e);
        }
    }

    @Override
    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("server {}: closing channel", config.name(), e);
            }
        }
        if (workersSelector != null) {
            closeQuietly(workersSelector);
        }
    }

    @Override
    void afterClose() {
        if (socketFile != null) {
            socketFile.remove();
        }
    }
}
