package io.sockethost.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.net.StandardSocketOptions;
import java.util.concurrent.TimeUnit;

/**
 * A TCP session: non-blocking connect, write and read on the worker's selector. Subclasses frame the
 * replies. A failed connection is counted and replaced after a short pause.
 */
abstract class StreamSession extends Session {
    private static final long RECONNECT_PAUSE = TimeUnit.MILLISECONDS.toNanos(10);

    final ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
    SocketChannel channel;
    SelectionKey key;
    private ByteBuffer out;
    /** Latency origin of the request in flight, or -1. */
    long origin = -1;

    StreamSession(Worker worker) {
        super(worker);
    }

    final void connect(long now) {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(worker.spec.target());
            key = channel.register(worker.selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) {
                connected(now);
            }
        } catch (IOException e) {
            fail(Errors.kind("connect", e), now);
        }
    }

    /** Opens the connection; the first request follows when it is up. */
    @Override
    void open(long now) {
        connect(now);
    }

    /** The connection is up: a persistent session takes its first request. */
    void connected(long now) {
        worker.readyForNext(this, now);
    }

    /**
     * Takes reply bytes.
     *
     * @return false if the session replaced or dropped its connection, so the caller must stop reading it
     */
    abstract boolean consume(ByteBuffer bytes, long now);

    /** The server closed the connection. */
    abstract void endOfStream(long now);

    @Override
    public final void onReady(SelectionKey ready, long now) {
        if (ready != key) {
            return; // a key of a connection this session already dropped
        }
        try {
            if (ready.isConnectable()) {
                channel.finishConnect();
                ready.interestOps(SelectionKey.OP_READ);
                connected(now);
                return;
            }
            if (ready.isWritable()) {
                channel.write(out);
                if (!out.hasRemaining()) {
                    ready.interestOps(SelectionKey.OP_READ);
                }
            }
            if (ready.isValid() && ready.isReadable()) {
                read(now);
            }
        } catch (IOException e) {
            fail(Errors.kind(channel.isConnected() ? "exchange" : "connect", e), now);
        }
    }

    private void read(long now) throws IOException {
        int n = channel.read(in);
        if (n < 0) {
            endOfStream(now);
            return;
        }
        in.flip();
        consume(in, now);
        in.clear();
    }

    /** Writes a request; what the socket does not take at once is written when it becomes writable. */
    final void write(ByteBuffer request, long now) {
        out = request;
        try {
            channel.write(out);
            if (out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            fail(Errors.kind("exchange", e), now);
        }
    }

    /** Counts the error, drops the connection and reconnects after a pause. */
    final void fail(String kind, long now) {
        worker.error(kind);
        closeChannel();
        worker.broken(this);
        setDeadline(now + RECONNECT_PAUSE);
    }

    /**
     * A request is in flight. TCP delivers late replies, so there is no timeout: a request still unanswered
     * at the end of the step is counted then (a server that serves one connection at a time starves the others).
     */
    final void awaitReply(long origin) {
        this.origin = origin;
    }

    final void replied(long now) {
        worker.completed(origin, now);
        origin = -1;
    }

    @Override
    long pendingSince() {
        return origin;
    }

    @Override
    void onDeadline(long now) {
        if (channel == null) {
            open(now); // the pause after a failure is over
        }
    }

    final void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a broken connection: nothing to count twice
            }
            channel = null;
            key = null;
        }
        origin = -1;
    }

    @Override
    void close() {
        closeChannel();
    }
}
