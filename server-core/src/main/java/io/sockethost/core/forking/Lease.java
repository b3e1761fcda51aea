package io.sockethost.core.forking;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledFuture;

/**
 * One request's hold on a worker: the worker's relay connection, and the timer that kills the worker if the
 * request outlives {@code requestTimeout}. Closing it ends the request on the host's side; the worker
 * reports itself free again by connecting anew. Owned by the request's thread.
 */
final class Lease implements AutoCloseable {
    private final WorkerPool pool;
    private final Worker worker;
    /** Which of the worker's requests this is. */
    private final int request;
    private final SocketChannel channel;
    private final ScheduledFuture<?> timeout;

    Lease(WorkerPool pool, Worker worker, int request, SocketChannel channel, ScheduledFuture<?> timeout) {
        this.pool = pool;
        this.worker = worker;
        this.request = request;
        this.channel = channel;
        this.timeout = timeout;
    }

    long pid() {
        return worker.pid();
    }

    /** Tells the worker whom it serves; the client's bytes follow. */
    void begin(SocketAddress client) throws IOException {
        RelayProtocol.writeClient(channel, client);
    }

    /** Relays the client's connection to the worker until the worker is done with it. */
    Relay.Outcome relay(SocketChannel client) throws IOException {
        return new Relay(client, channel, () -> pool.released(worker, request)).run();
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
