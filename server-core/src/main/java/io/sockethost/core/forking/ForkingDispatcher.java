package io.sockethost.core.forking;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.concurrency.IncomingConnection;
import io.sockethost.core.concurrency.IncomingDatagram;
import io.sockethost.core.concurrency.IncomingRequest;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.concurrency.ThreadPerRequestDispatcher;
import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.ServerEvents;

/**
 * {@code forking}: Python's {@code ForkingMixIn.process_request}. Each accepted connection, or received
 * datagram, goes to a worker process from the server's {@link WorkerPool} (waiting for one if all are busy),
 * which serves it with the plugin's handler; a hand-off thread in the host waits until the worker is done and
 * then releases the request. A datagram's reply comes back over the worker's relay connection and leaves from
 * the server's own socket; a worker that dies or is killed before answering means no reply, logged here (the
 * pool logs why it died). At most {@code maxChildren} requests are with workers at once, so further clients
 * wait in the listen backlog, and further datagrams in the socket's receive buffer, as they would for a free
 * child in Python.
 *
 * <p>Lifecycle as every dispatcher: {@link #open} starts the warm workers (they need the server's real
 * address), {@link #close} waits for the hand-offs and then stops every worker. Thread-safe.
 */
public final class ForkingDispatcher implements RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(ForkingDispatcher.class);
    /** An idle worker may die just as it is handed a request; the request then goes to another. */
    private static final int ATTEMPTS = 3;

    private final String serverName;
    private final WorkerPool pool;
    private final ThreadPerRequestDispatcher handOffs;

    /**
     * @param config a forking server
     * @param pluginJar the jar of the plugin that supplies the handler, loaded by every worker
     */
    public ForkingDispatcher(ServerConfig config, Path pluginJar) {
        ConcurrencyConfig c = config.concurrency();
        this.serverName = config.name();
        this.pool = new WorkerPool(config, new WorkerLauncher(config, pluginJar));
        // As Python's forking server waits for a free child, a connection waits for a free worker in the backlog,
        // and a datagram in the socket's receive buffer.
        this.handOffs = new ThreadPerRequestDispatcher(config.name(), c.maxChildren(), false, c.daemonThreads(),
                c.blockOnClose(), false);
    }

    @Override
    public void observe(ServerEvents events) {
        pool.observe(events);
    }

    @Override
    public void open(SocketAddress bound) throws IOException {
        pool.start(bound);
    }

    @Override
    public boolean awaitCapacity(Duration max) throws InterruptedException {
        return handOffs.awaitCapacity(max);
    }

    @Override
    public void dispatch(IncomingRequest request) {
        Runnable work;
        if (request instanceof IncomingConnection connection) {
            work = () -> handOff(connection);
        } else if (request instanceof IncomingDatagram datagram) {
            work = () -> exchange(datagram);
        } else {
            request.close();
            throw new IllegalArgumentException("server " + serverName + ": forking serves connections and datagrams, not "
                    + request.getClass().getName());
        }
        handOffs.dispatch(request, () -> {
            try {
                work.run();
            } finally {
                request.close();
            }
        });
    }

    /** Passes the datagram on to a worker, and sends the reply it returns from the server's socket. */
    private void exchange(IncomingDatagram datagram) {
        SocketAddress client = datagram.client();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Lease lease;
            try {
                lease = pool.acquire(client);
            } catch (IOException e) {
                if (pool.closing()) {
                    // datagrams still waiting for a worker when the server stops: nothing went wrong
                    log.debug("server {}: dropping the datagram of client {}: {}", serverName, Addresses.format(client),
                            e.getMessage());
                } else {
                    log.error("server {}: dropping the datagram of client {}: {}", serverName, Addresses.format(client),
                            e.getMessage());
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is stopping
                return;
            }
            ByteBuffer reply;
            try (lease) {
                reply = lease.exchange(client, datagram.payload());
            } catch (Lease.Unanswered e) {
                // Python's forked child would have died with the datagram too; the pool logs why at its reaping.
                log.error("server {}: handle failed for client {}: worker pid {} ended before it answered ({}); no "
                        + "reply is sent", serverName, Addresses.format(client), lease.pid(), e.getMessage());
                return;
            } catch (IOException e) {
                log.debug("server {}: worker pid {} was gone before it got the datagram of client {}: {}", serverName,
                        lease.pid(), Addresses.format(client), e.toString());
                continue;
            }
            if (reply != null) {
                datagram.reply(reply);
            }
            return;
        }
        log.error("server {}: dropping the datagram of client {}: {} workers in a row died as they were handed it",
                serverName, Addresses.format(client), ATTEMPTS);
    }

    /** Passes the connection on to a worker and waits until the worker is done with it. */
    private void handOff(IncomingConnection request) {
        SocketAddress client = request.client();
        SocketChannel connection = request.channel();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Lease lease;
            try {
                lease = pool.acquire(client);
            } catch (IOException e) {
                log.error("server {}: closing the connection of client {}: {}", serverName, Addresses.format(client),
                        e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is stopping
                return;
            }
            try (lease) {
                try {
                    lease.begin(client, connection);
                } catch (IOException e) {
                    log.debug("server {}: worker pid {} was gone before it got client {}: {}", serverName, lease.pid(),
                            Addresses.format(client), e.toString());
                    continue;
                }
                Relay.Outcome outcome = lease.serve(connection);
                if (outcome != Relay.Outcome.WORKER_DONE) {
                    log.debug("server {}: relay of client {} to worker pid {} ended: {}", serverName,
                            Addresses.format(client), lease.pid(), outcome);
                }
            } catch (IOException e) {
                log.error("server {}: passing client {} on to worker pid {} failed", serverName, Addresses.format(client),
                        lease.pid(), e);
            }
            return;
        }
        log.error("server {}: closing the connection of client {}: {} workers in a row died as they were handed it",
                serverName, Addresses.format(client), ATTEMPTS);
    }

    @Override
    public void drain() {
        handOffs.drain();
    }

    @Override
    public int active() {
        return handOffs.active();
    }

    /** Waits for the hand-offs (and so for the workers serving them), then stops every worker. */
    @Override
    public boolean close(Duration deadline) {
        try {
            return handOffs.close(deadline);
        } finally {
            pool.close();
        }
    }
}
