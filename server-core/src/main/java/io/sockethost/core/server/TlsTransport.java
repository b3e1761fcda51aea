package io.sockethost.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;

/**
 * The {@link Socket} an {@link javax.net.ssl.SSLSocket} layers over: a face over a connection's
 * {@link ChannelStreams}, so that the TLS records go through the same streams as a plain connection's bytes,
 * with the same read timeout, write watchdog and flush-before-wait of pending output, and on every channel the
 * streams serve (a forking worker's handed-over or relayed one too). It never opens a descriptor of its
 * own. While a handshake deadline is set, every read waits at most until it. Used by the thread that serves
 * the connection; {@link #close()} may come from another.
 */
final class TlsTransport extends Socket {
    private final SocketChannel channel;
    private final SocketAddress client;
    private final ChannelStreams streams;
    private final InputStream input;
    private final OutputStream output;
    private volatile int timeoutMillis;
    /** {@link System#nanoTime()} by which the handshake must be done, or 0 once it is. */
    private long handshakeDeadline;
    private boolean inputShut;
    private boolean outputShut;

    /** @param pending flushed before a read waits for the client: the request's buffered output */
    TlsTransport(SocketChannel channel, SocketAddress client, ChannelStreams streams, ChannelStreams.PendingOutput pending) {
        this.channel = channel;
        this.client = client;
        this.streams = streams;
        this.output = streams.output();
        InputStream raw = streams.input(pending);
        this.input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (handshakeDeadline != 0) {
                    long left = (handshakeDeadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new SocketTimeoutException("the TLS handshake took longer than tls.handshakeTimeout");
                    }
                    streams.setReadTimeoutMillis(timeoutMillis == 0 ? left : Math.min(left, timeoutMillis));
                }
                return raw.read(b, off, len);
            }
        };
    }

    /** Until {@link #endHandshake()}, reads wait at most until {@code deadlineNanos} ({@link System#nanoTime()}). */
    void startHandshake(long deadlineNanos) {
        handshakeDeadline = deadlineNanos == 0 ? 1 : deadlineNanos;
    }

    /** Back to the connection's own read timeout. */
    void endHandshake() throws IOException {
        handshakeDeadline = 0;
        streams.setReadTimeoutMillis(timeoutMillis);
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        timeoutMillis = timeout;
        try {
            streams.setReadTimeoutMillis(timeout);
        } catch (IOException e) {
            throw new SocketException(e.toString());
        }
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    @Override
    public boolean isConnected() {
        return true; // accepted: SSLSocket insists on a connected socket to layer over
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        if (!inputShut && channel.isOpen()) {
            inputShut = true;
            channel.shutdownInput();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (!outputShut && channel.isOpen()) {
            outputShut = true;
            channel.shutdownOutput();
        }
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public InetAddress getInetAddress() {
        return client instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    @Override
    public int getPort() {
        return client instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return client;
    }

    @Override
    public String toString() {
        return "TLS transport to " + client;
    }
}
