package io.sockethost.core.forking;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledFuture;

import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * One request's hold on a worker: the worker's relay connection, and the timer that kills the worker if the
 * request outlives {@code requestTimeout}. Closing it ends the request on the host's side; the worker
 * reports itself free again by connecting anew. Owned by the request's thread.
 *
 * <p>A connection reaches the worker in one of two ways, chosen by the pool: handed over (the client's
 * descriptor travels with the request header, the worker serves the client's socket itself and closes its
 * relay connection when done), or relayed (the host copies bytes between the client and the relay
 * connection). Either way the host keeps its copy of the client's socket open until the worker is done, so
 * a stop still drains the connection ({@code shutdownInput} acts on the socket both processes share). A
 * datagram travels in the request itself and its reply comes back the same way ({@link #exchange}).
 */
final class Lease implements AutoCloseable {
    private final WorkerPool pool;
    private final Worker worker;
    /** Which of the worker's requests this is. */
    private final int request;
    private final SocketChannel channel;
    private final boolean handOff;
    private final ScheduledFuture<?> timeout;

    Lease(WorkerPool pool, Worker worker, int request, SocketChannel channel, boolean handOff, ScheduledFuture<?> timeout) {
        this.pool = pool;
        this.worker = worker;
        this.request = request;
        this.channel = channel;
        this.handOff = handOff;
        this.timeout = timeout;
    }

    long pid() {
        return worker.pid();
    }

    /**
     * Tells the worker whom it serves and, when handing over, gives it the connection. If this throws, the
     * worker got nothing and the request may go to another.
     */
    void begin(SocketAddress client, SocketChannel connection) throws IOException {
        if (handOff) {
            ((AFUNIXSocketChannel) channel).setOutboundFileDescriptors(SocketDescriptors.of(connection));
        }
        RelayProtocol.writeClient(channel, client);
    }

    /** Returns once the worker is done with the connection, relaying its bytes meanwhile unless handed over. */
    Relay.Outcome serve(SocketChannel connection) throws IOException {
        if (!handOff) {
            return new Relay(connection, channel, () -> pool.released(worker, request)).run();
        }
        // The worker says nothing more on this connection: it closes it when its handler is done (or dies).
        ByteBuffer ignored = ByteBuffer.allocate(64);
        try {
            while (channel.read(ignored) >= 0) {
                ignored.clear();
            }
            return Relay.Outcome.WORKER_DONE;
        } catch (AsynchronousCloseException e) {
            return Relay.Outcome.ABORTED; // interrupted or closed by a forced stop
        } catch (IOException e) {
            return Relay.Outcome.WORKER_DONE; // reset by a dying worker; its reaping says why
        }
    }

    /**
     * Hands the worker a datagram and waits for the handler's reply (a datagram server's request: the
     * relay connection carries the datagram and the reply, never a descriptor).
     *
     * @return the reply, or {@code null} if the handler sent none
     * @throws Unanswered if the worker got the datagram but died (or was killed) before it answered
     * @throws IOException if the worker got nothing, so the datagram may go to another
     */
    ByteBuffer exchange(SocketAddress client, ByteBuffer payload) throws IOException {
        RelayProtocol.writeDatagram(channel, client, payload);
        try {
            return RelayProtocol.readReply(channel);
        } catch (IOException e) {
            throw new Unanswered(e);
        }
    }

    /** The worker had the datagram and ended its connection without an answer: no reply goes out. */
    static final class Unanswered extends IOException {
        private static final long serialVersionUID = 1L;

        Unanswered(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    @Override
    public void close() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        WorkerPool.closeQuietly(channel);
        pool.released(worker, request);
    }
}
