package io.sockethost.core.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.sockethost.api.ServerContext;
import io.sockethost.api.StreamRequest;

/**
 * One accepted connection as a {@link StreamRequest}. Owned by the thread that serves it; {@link #close()}
 * may also be called by the server to abort it at shutdown.
 */
final class StreamConnection implements StreamRequest, io.sockethost.core.concurrency.RunningRequest {
    /** Small, because every idle connection holds two: larger reads and writes bypass the buffers anyway. */
    static final int BUFFER_SIZE = 4096;

    private final SocketChannel channel;
    private final SocketAddress client;
    private final ServerContext server;
    private final Socket socket;
    private final SelectingChannelStreams unixStreams;
    private final InputStream input;
    private final OutputStream output;

    StreamConnection(SocketChannel channel, SocketAddress client, ServerContext server, Duration readTimeout) throws IOException {
        this.channel = channel;
        this.client = client;
        this.server = server;
        // The socket adaptor's streams honour SO_TIMEOUT on a blocking channel; Unix channels have no adaptor.
        // Asked of the channel, not the transport: a forking worker serves a tcp server over a Unix relay.
        this.socket = channel.getLocalAddress() instanceof java.net.UnixDomainSocketAddress ? null : channel.socket();
        this.unixStreams = socket == null ? new SelectingChannelStreams(channel) : null;
        InputStream rawIn = socket != null ? socket.getInputStream() : unixStreams.input();
        OutputStream rawOut = socket != null ? socket.getOutputStream() : unixStreams.output();
        this.input = new BufferedInputStream(rawIn, BUFFER_SIZE);
        this.output = new BufferedOutputStream(rawOut, BUFFER_SIZE);
        if (readTimeout != null) {
            setReadTimeout(readTimeout);
        }
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
        if (socket != null) {
            try {
                socket.setSoTimeout((int) millis);
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            unixStreams.setReadTimeoutMillis(millis);
        }
    }

    /** Flushes what the handler wrote, then ends the connection gracefully (FIN, not RST, where possible). */
    void finishAndClose() throws IOException {
        try {
            output.flush();
            if (channel.isOpen()) {
                channel.shutdownOutput();
            }
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
        if (unixStreams != null) {
            unixStreams.wakeUp();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (unixStreams != null) {
                unixStreams.close();
            }
        }
    }
}
