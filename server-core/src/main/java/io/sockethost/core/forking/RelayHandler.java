package io.sockethost.core.forking;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;
import io.sockethost.core.config.Addresses;
import io.sockethost.core.server.StreamServer;

/**
 * The host's side of a forking server's connection: takes an idle worker from the pool (waiting for one if
 * all are busy), tells it the client's address and hands the connection over to it (or relays it, see
 * {@link Lease}) until the worker is done.
 * The plugin's handler runs in the worker; failures of the relay itself are logged here and only close the
 * connection. A new instance per connection, as every handler.
 */
final class RelayHandler implements StreamHandler {
    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);
    /** An idle worker may die just as it is handed a request; the request then goes to another. */
    private static final int ATTEMPTS = 3;

    private final String serverName;
    private final WorkerPool pool;

    RelayHandler(String serverName, WorkerPool pool) {
        this.serverName = serverName;
        this.pool = pool;
    }

    @Override
    public void handle(StreamRequest request) {
        SocketAddress client = request.clientAddress();
        SocketChannel connection = StreamServer.channelOf(request);
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
}
