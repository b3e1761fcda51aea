package io.sockethost.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.ServerContext;
import io.sockethost.api.StreamRequest;
import io.sockethost.core.events.ServerEvents;
import io.sockethost.core.tls.ServerTls;

/**
 * One accepted connection as a {@link StreamRequest}. Owned by the thread that serves it; {@link #close()}
 * may also be called by the server to abort it at shutdown, and by its {@link WriteWatchdog}.
 */
final class StreamConnection implements StreamRequest, io.sockethost.core.concurrency.RunningRequest {
    private static final Logger log = LoggerFactory.getLogger(StreamConnection.class);
    /** Small, because every idle connection holds two: larger reads and writes bypass the buffers anyway. */
    /**
     * The buffers' first and largest sizes: they start small, since an idle connection's buffers were most of
     * its memory, and grow at the first message that does not fit.
     */
    static final int INITIAL_BUFFER_SIZE = 512;
    static final int BUFFER_SIZE = 4096;

    private final SocketChannel channel;
    private final SocketAddress client;
    private final ServerContext server;
    private final ChannelStreams streams;
    private final ServerEvents events;
    /** Null for a plain connection; else the TLS to serve it with, until {@link #handshake} has run. */
    private ServerTls tls;
    private final Duration handshakeTimeout;
    /** Set at once on a plain connection; on a TLS one by {@link #handshake}, before the handler sees them. */
    private InputStream input;
    private GrowingBufferedOutputStream output;
    private final WriteWatchdog watchdog;
    /** The read timeout in milliseconds (0: none), for the TLS layer made later. */
    private int readTimeoutMillis;
    /** After a TLS handshake: what ends the connection with a close_notify. */
    private SSLSocket sslSocket;

    /**
     * @param watchdog closes the connection if a write blocks too long; null for none
     * @param events counts the bytes read and written (below the buffers: once per refill or flush)
     */
    StreamConnection(SocketChannel channel, SocketAddress client, ServerContext server, Duration readTimeout,
            WriteWatchdog watchdog, ServerEvents events) throws IOException {
        this(channel, client, server, readTimeout, watchdog, events, null, null);
    }

    /**
     * @param tls serves the connection over TLS once {@link #handshake} succeeded; null for plain
     * @param handshakeTimeout with {@code tls}: how long the whole handshake may take
     */
    StreamConnection(SocketChannel channel, SocketAddress client, ServerContext server, Duration readTimeout,
            WriteWatchdog watchdog, ServerEvents events, ServerTls tls, Duration handshakeTimeout) throws IOException {
        this.channel = channel;
        this.client = client;
        this.server = server;
        this.watchdog = watchdog;
        this.events = events;
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.streams = new ChannelStreams(channel, watchdog != null);
        if (tls == null) {
            this.output = new GrowingBufferedOutputStream(counted(streams.output()), INITIAL_BUFFER_SIZE, BUFFER_SIZE);
            this.input = streams.withAvailable(new GrowingBufferedInputStream(counted(streams.input(output)),
                    INITIAL_BUFFER_SIZE, BUFFER_SIZE));
        }
        if (readTimeout != null) {
            setReadTimeout(readTimeout);
        }
        if (watchdog != null) {
            watchdog.watch(this);
        }
    }

    private OutputStream counted(OutputStream out) {
        return events == ServerEvents.NONE ? out : new CountingStreams.Output(out, events);
    }

    private InputStream counted(InputStream in) {
        return events == ServerEvents.NONE ? in : new CountingStreams.Input(in, events);
    }

    /**
     * On a TLS connection, runs the server side of the handshake on the calling thread (the one that serves
     * the connection, never the accept loop), within the handshake timeout, and then gives the handler the
     * plain streams over it: byte counts are the application's bytes. Does nothing on a plain connection.
     *
     * @param consumed bytes already read from the connection that belong to the handshake, or null
     * @throws IOException if the handshake failed or timed out; the connection is then of no use
     */
    void handshake(InputStream consumed) throws IOException {
        if (tls == null) {
            return;
        }
        ServerTls using = tls;
        tls = null;
        TlsTransport transport = new TlsTransport(channel, client, streams, new ChannelStreams.PendingOutput() {
            @Override
            public boolean pending() {
                return output != null && output.pending();
            }

            @Override
            public void flush() throws IOException {
                output.flush();
            }
        });
        transport.setSoTimeout(readTimeoutMillis);
        SSLSocket socket = using.layer(transport, consumed);
        transport.startHandshake(System.nanoTime() + handshakeTimeout.toNanos());
        socket.startHandshake();
        transport.endHandshake();
        this.sslSocket = socket;
        this.output = new GrowingBufferedOutputStream(counted(socket.getOutputStream()), INITIAL_BUFFER_SIZE,
                BUFFER_SIZE);
        this.input = new GrowingBufferedInputStream(counted(socket.getInputStream()), INITIAL_BUFFER_SIZE, BUFFER_SIZE);
    }

    /** @see ChannelStreams#writingSince() */
    long writingSince() {
        return streams.writingSince();
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public SocketAddress clientAddress() {
        return client;
    }

    @Override
    public ServerContext server() {
        return server;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        long millis = Math.max(timeout.toMillis(), timeout.isZero() ? 0 : 1);
        if (millis > Integer.MAX_VALUE) {
            millis = 0;
        }
        readTimeoutMillis = (int) millis;
        try {
            streams.setReadTimeoutMillis(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Flushes what the handler wrote, then ends the connection gracefully (FIN, not RST, where possible).
     * A failure of the flush or of the shutdown is not the handler's, so, as Python's
     * {@code StreamRequestHandler.finish} and {@code shutdown_request} ignore theirs, it is logged at debug
     * level and goes to no hook.
     *
     * @throws IOException if closing the socket fails
     */
    void finishAndClose() throws IOException {
        try {
            if (output != null) {
                output.flush();
            }
            if (sslSocket != null && channel.isOpen()) {
                sslSocket.shutdownOutput(); // close_notify, then the FIN
            } else if (channel.isOpen()) {
                channel.shutdownOutput();
            }
        } catch (IOException e) {
            log.debug("server {}: client {}: the end of the connection failed: {}", server.name(), client, e.toString());
        } finally {
            close();
        }
    }

    /**
     * The handler reads what the client already sent, then sees the end of the stream where it would wait
     * for more, so it finishes the requests it has and returns ({@link ChannelStreams#drain()}).
     */
    @Override
    public void drain() {
        streams.drain();
    }

    @Override
    public void close() throws IOException {
        if (watchdog != null) {
            watchdog.forget(this);
        }
        try {
            channel.close();
        } finally {
            streams.close();
        }
    }
}
