package io.sockethost.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.ServerHooks;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.activation.InheritedSockets;
import io.sockethost.core.concurrency.IncomingConnection;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.Refusal;
import io.sockethost.core.tls.ServerTls;

/**
 * Python's {@code TCPServer} and {@code UnixStreamServer}: accepts connections and serves each with a new
 * {@link StreamHandler}. Accepting happens on the serving thread; handlers run where the dispatcher says.
 * With {@code proxyProtocol} on, a connection's PROXY header is read on the serving thread's selector
 * ({@link ProxyHeaders}) before the verify rules, the hook and the limits judge the client it names.
 */
public final class StreamServer extends SocketServer {
    private static final Logger log = LoggerFactory.getLogger(StreamServer.class);
    /** Connections accepted per wake-up before the loop checks for shutdown again. */
    private static final int ACCEPT_BATCH = 64;

    private final Supplier<? extends StreamHandler> handlers;
    private final ClientLimiter limiter;
    private final Refusals refusals;
    private final UnixSocketFile socketFile;
    /** Null when the server has no {@code writeTimeout}. */
    private final WriteWatchdog watchdog;
    /** Null for a plain server; replaced in place by {@link #reloadTls()}. */
    private volatile ServerTls tls;
    /** Null when the server has no {@code proxyProtocol}. */
    private final ProxyHeaders proxyHeaders;
    private ServerSocketChannel channel;

    /**
     * @param handlers makes a new handler for each connection; may throw to refuse the connection
     * @param hooks the plugin's hooks, or a no-op instance
     * @param dispatcher runs the accepted connections
     * @param pluginLifecycle the plugin's lifecycle for this server, or null
     */
    public StreamServer(ServerConfig config, Supplier<? extends StreamHandler> handlers, ServerHooks hooks,
                        RequestDispatcher dispatcher, ServerLifecycle<?> pluginLifecycle) {
        super(config, hooks, dispatcher, pluginLifecycle);
        if (!config.transport().isStream()) {
            throw new IllegalArgumentException("server " + config.name() + ": " + config.transport() + " is not a stream transport");
        }
        this.handlers = handlers;
        this.limiter = new ClientLimiter(config.clientRules().maxConnectionsPerClient());
        this.refusals = new Refusals(config.name());
        this.socketFile = config.transport().isUnix() ? new UnixSocketFile(config) : null;
        this.watchdog = config.writeTimeout() == null ? null : new WriteWatchdog(config.name(), config.writeTimeout());
        this.tls = config.tls() == null ? null : ServerTls.load(config.tls());
        this.proxyHeaders = config.proxyProtocol() == null ? null
                : new ProxyHeaders(config.name(), config.proxyProtocol(), new ProxyHeaders.Admission() {
                    @Override
                    public void admit(SocketChannel channel, SocketAddress client) {
                        StreamServer.this.admit(channel, client);
                    }

                    @Override
                    public void refuse(SocketChannel channel, SocketAddress peer, String why) {
                        refuseHeader(channel, peer, why);
                    }
                });
    }

    /**
     * Loads the server's TLS key and certificates again and serves every connection accepted from now on
     * with them, without closing the listener; connections already served keep theirs. A reload calls it
     * for a server whose configuration did not change, so that a renewed certificate is picked up.
     *
     * @return whether the certificate or key changed
     * @throws IllegalArgumentException naming every problem if the files cannot be used; the old ones stay
     */
    public boolean reloadTls() {
        if (config.tls() == null) {
            return false;
        }
        ServerTls next = ServerTls.load(config.tls());
        if (next.sameAs(tls)) {
            return false;
        }
        tls = next;
        log.info("server {}: TLS certificate reloaded: {}", config.name(), next.summary());
        return true;
    }

    /** A server without a plugin lifecycle, for this package's tests. */
    StreamServer(ServerConfig config, Supplier<? extends StreamHandler> handlers, ServerHooks hooks,
                 RequestDispatcher dispatcher) {
        this(config, handlers, hooks, dispatcher, null);
    }

    @Override
    SelectableChannel bind() throws IOException {
        ServerSocketChannel inherited = InheritedSockets.ofThisProcess().takeStream(config); // socket activation
        if (inherited != null) {
            log.info("server {}: uses the listening socket systemd passed", config.name());
            channel = inherited;
        } else if (socketFile != null) {
            socketFile.prepare();
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(config.address(), config.requestQueueSize());
            socketFile.applyMode();
        } else {
            InetSocketAddress address = (InetSocketAddress) config.address();
            channel = ServerSocketChannel.open(address.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, config.allowReuseAddress());
            if (config.reusePort()) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IOException("reusePort is not supported on this platform");
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, config.requestQueueSize());
        }
        channel.configureBlocking(false);
        return channel;
    }

    @Override
    SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    void serveReady() throws IOException {
        if (proxyHeaders != null) {
            proxyHeaders.serviceReady(selector());
        }
        for (int i = 0; i < ACCEPT_BATCH && !stopping(); i++) {
            if (!serveOneAccepted()) {
                return;
            }
            try {
                if (!dispatcher.awaitCapacity(java.time.Duration.ZERO)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    void serveOne() throws IOException {
        serveOneAccepted(false);
    }

    @Override
    long waitMillis(long pollMillis) {
        return proxyHeaders == null ? pollMillis : Math.min(pollMillis, proxyHeaders.millisToNextDeadline());
    }

    @Override
    void afterWait() {
        if (proxyHeaders != null) {
            proxyHeaders.expire(selector());
        }
    }

    @Override
    void loopEnded() {
        if (proxyHeaders != null) {
            proxyHeaders.closeAll();
        }
    }

    private boolean serveOneAccepted() throws IOException {
        return serveOneAccepted(true);
    }

    /**
     * @param onLoop whether the serve loop called: a PROXY protocol header is then read on its selector, else
     *     ({@link #handleRequest()}, which serves one request) on this thread
     * @return false if there was no connection waiting
     */
    private boolean serveOneAccepted(boolean onLoop) throws IOException {
        SocketChannel accepted;
        try {
            accepted = channel.accept();
        } catch (IOException e) {
            // EMFILE and friends: log, keep the server alive, let the poll interval act as back-off
            log.error("server {}: accept failed: {}", config.name(), e.toString());
            return false;
        }
        if (accepted == null) {
            return false;
        }
        SocketAddress client;
        try {
            client = accepted.getRemoteAddress();
            if (!config.transport().isUnix()) {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, config.noDelay());
            }
        } catch (IOException e) {
            log.debug("server {}: connection lost before it was served: {}", config.name(), e.toString());
            accepted.close();
            return true;
        }
        requestArrived();
        if (proxyHeaders == null) {
            admit(accepted, client);
        } else if (onLoop) {
            proxyHeaders.accepted(accepted, client, selector());
        } else {
            proxyHeaders.acceptedHere(accepted, client);
        }
        return true;
    }

    /** Turns away a connection whose PROXY protocol header is missing, malformed, late or from an untrusted peer. */
    private void refuseHeader(SocketChannel channel, SocketAddress peer, String why) {
        events.refused(Refusal.PROXY);
        refusals.refused(peer, why);
        closeQuietly(channel, peer);
    }

    /**
     * Applies the verify rules, the plugin's verify hook and the per-client cap to {@code client} (the peer, or
     * the client a PROXY protocol header named), then dispatches the connection.
     */
    private void admit(SocketChannel accepted, SocketAddress client) {
        Refusal refusal = !config.clientRules().permits(client) ? Refusal.RULES
                : !lifecycle.verify(client) ? Refusal.VERIFY : null;
        if (refusal != null) {
            events.refused(refusal);
            refusals.refused(client, refusal == Refusal.RULES ? "not allowed by verify.allow/verify.deny"
                    : "refused by the plugin's verify hook");
            closeQuietly(accepted, client);
            return;
        }
        if (!limiter.tryEnter(client)) {
            events.refused(Refusal.LIMIT);
            turnAway(accepted, client, "over verify.maxConnectionsPerClient ("
                    + config.clientRules().maxConnectionsPerClient() + ")");
            return;
        }
        StreamConnection connection;
        try {
            connection = connection(accepted, client);
        } catch (IOException | RuntimeException e) {
            limiter.leave(client);
            log.debug("server {}: cannot set up connection from {}: {}", config.name(), client, e.toString());
            closeQuietly(accepted, client);
            return;
        }
        events.connectionOpened();
        dispatcher.dispatch(new Accepted(connection, client));
    }

    private void closeQuietly(SocketChannel accepted, SocketAddress client) {
        try {
            accepted.close();
        } catch (IOException e) {
            log.debug("server {}: closing the connection of {}: {}", config.name(), client, e.toString());
        }
    }

    /**
     * Closes a connection the server has no room for at once, after the plugin's busy reply (which fits a
     * fresh socket's send buffer, so the write does not block the accept loop), and says so, rate-limited.
     */
    private void turnAway(SocketChannel accepted, SocketAddress client, String why) {
        refusals.refused(client, why);
        byte[] reply = tls == null ? busyReply() : null; // plain text would only break the client's handshake
        try (accepted) {
            if (reply != null) {
                accepted.configureBlocking(false);
                accepted.write(java.nio.ByteBuffer.wrap(reply));
            }
        } catch (IOException e) {
            log.debug("server {}: closing a turned-away connection from {}: {}", config.name(), client, e.toString());
        }
    }

    /** An accepted connection on its way through the dispatcher; closing it gives back its client's slot once. */
    private final class Accepted implements IncomingConnection {
        private final StreamConnection connection;
        private final SocketAddress client;
        private final AtomicBoolean closed = new AtomicBoolean();

        Accepted(StreamConnection connection, SocketAddress client) {
            this.connection = connection;
            this.client = client;
        }

        @Override
        public SocketAddress client() {
            return client;
        }

        @Override
        public SocketChannel channel() {
            return connection.channel();
        }

        @Override
        public void serve() {
            try {
                StreamServer.this.serve(connection);
            } finally {
                close();
            }
        }

        @Override
        public void refuse() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            limiter.leave(client);
            events.refused(Refusal.BUSY);
            events.connectionClosed(); // counted open when it was accepted
            turnAway(connection.channel(), client, "over concurrency.maxWorkers (" + config.concurrency().maxWorkers()
                    + "): every worker is busy");
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("server {}: closing connection from {}", config.name(), client, e);
            }
        }

        @Override
        public void drain() {
            connection.drain();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            limiter.leave(client);
            events.connectionClosed();
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("server {}: closing connection from {}", config.name(), client, e);
            }
        }
    }

    /**
     * Serves a connection accepted elsewhere on the calling thread, exactly as an accepted one (a new
     * handler, setup/handle/finish, errors to the hooks, flush and close): Python's {@code finish_request}
     * in a forked child. The server must have started ({@link #open()} or {@link #startUnbound}).
     */
    public void serveConnection(SocketChannel accepted, SocketAddress client) throws IOException {
        StreamConnection connection = connection(accepted, client);
        try {
            serve(connection);
        } finally {
            connection.close();
        }
    }

    private StreamConnection connection(SocketChannel accepted, SocketAddress client) throws IOException {
        return new StreamConnection(accepted, client, info, config.readTimeout(), watchdog, events, tls,
                config.tls() == null ? null : config.tls().handshakeTimeout());
    }

    /**
     * Runs a TLS handshake where the server has TLS. A client that fails it (plain text on a TLS port, an
     * old protocol, a client that does not trust the certificate) never reaches a handler or its hooks: it
     * is a debug line, at most one INFO line per client address and minute, and a {@link Refusal#TLS} count.
     *
     * @return whether the connection is ready for its handler
     */
    private boolean handshake(StreamConnection connection) {
        try {
            connection.handshake(null);
            return true;
        } catch (IOException | RuntimeException e) {
            events.refused(Refusal.TLS);
            refusals.refused(connection.clientAddress(), "TLS handshake failed: " + Refusals.escape(String.valueOf(
                    e.getMessage())));
            return false;
        }
    }

    /** Runs a handler over the connection and flushes what it wrote; the caller closes the connection. */
    private void serve(StreamConnection connection) {
        SocketAddress client = connection.clientAddress();
        if (!handshake(connection)) {
            return;
        }
        try {
            StreamHandler handler;
            try {
                handler = handlers.get();
            } catch (RuntimeException | LinkageError e) {
                lifecycle.failed(client, "creating the handler", e);
                return;
            }
            lifecycle.run(client, new RequestLifecycle.Steps() {
                @Override
                public void setup() throws Exception {
                    handler.setup(connection);
                }

                @Override
                public void handle() throws Exception {
                    handler.handle(connection);
                }

                @Override
                public void finish() throws Exception {
                    handler.finish(connection);
                }
            });
            // As Python's StreamRequestHandler.finish(): what the handler wrote is flushed even after a failure.
            connection.finishAndClose();
        } catch (IOException e) {
            lifecycle.failed(client, "closing the connection", e);
        }
    }

    @Override
    void closeChannel() {
        if (proxyHeaders != null) {
            proxyHeaders.closeAll();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("server {}: closing listener", config.name(), e);
            }
        }
    }

    @Override
    void afterClose() {
        if (socketFile != null) {
            socketFile.remove();
        }
        if (watchdog != null) {
            watchdog.close();
        }
    }
}
