package io.sockethost.core.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.ServerContext;
import io.sockethost.api.StreamRequest;
import io.sockethost.core.events.ServerEvents;

/**
 * One accepted connection as a {@link StreamRequest}. Owned by the thread that serves it; {@link #close()}
 * may also be called by the server to abort it at shutdown, and by its {@link WriteWatchdog}.
 */
final class StreamConnection implements StreamRequest, io.sockethost.core.concurrency.RunningRequest {
    private static final Logger log = LoggerFactory.getLogger(StreamConnection.class);
    /** Small, because every idle connection holds two: larger reads and writes bypass the buffers anyway. */
    static final int BUFFER_SIZE = 4096;

    private final SocketChannel channel;
    private final SocketAddress client;
    private final ServerContext server;
    private final ChannelStreams streams;
    private final InputStream input;
    private final RequestOutput output;
    private final WriteWatchdog watchdog;

    /**
     * @param watchdog closes the connection if a write blocks too long; null for none
     * @param events counts the bytes read and written (below the buffers: once per refill or flush)
     */
    StreamConnection(SocketChannel channel, SocketAddress client, ServerContext server, Duration readTimeout,
            WriteWatchdog watchdog, ServerEvents events) throws IOException {
        this.channel = channel;
        this.client = client;
        this.server = server;
        this.watchdog = watchdog;
        this.streams = new ChannelStreams(channel, watchdog != null);
        OutputStream out = streams.output();
        if (events != ServerEvents.NONE) {
            out = new CountingStreams.Output(out, events);
        }
        this.output = new RequestOutput(out);
        InputStream in = streams.input(output);
        if (events != ServerEvents.NONE) {
            in = new CountingStreams.Input(in, events);
        }
        this.input = streams.withAvailable(new BufferedInputStream(in, BUFFER_SIZE));
        if (readTimeout != null) {
            setReadTimeout(readTimeout);
        }
        if (watchdog != null) {
            watchdog.watch(this);
        }
    }

    /** The handler's buffered output, which a read flushes before it waits for the client. */
    private static final class RequestOutput extends BufferedOutputStream implements ChannelStreams.PendingOutput {
        RequestOutput(OutputStream out) {
            super(out, BUFFER_SIZE);
        }

        @Override
        public boolean pending() {
            return count > 0; // only the owning thread writes and reads: no lock needed for a hint
        }
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
            output.flush();
            if (channel.isOpen()) {
                channel.shutdownOutput();
            }
        } catch (IOException e) {
            log.debug("server {}: client {}: the end of the connection failed: {}", server.name(), client, e.toString());
        } finally {
            close();
        }
    }

    /** The handler's next read sees the end of the stream, so it finishes its current request and returns. */
    @Override
    public void drain() {
        try {
            if (channel.isOpen()) {
                channel.shutdownInput();
            }
        } catch (IOException e) {
            // already closed or reset: the handler sees that instead
        }
        streams.wakeUp();
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
