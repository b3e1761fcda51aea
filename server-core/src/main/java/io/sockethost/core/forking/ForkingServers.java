package io.sockethost.core.forking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sockethost.api.ServerHooks;
import io.sockethost.core.concurrency.ThreadPerRequestDispatcher;
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ConcurrencyMode;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.server.SocketServer;
import io.sockethost.core.server.StreamServer;

/**
 * Builds the host's side of {@code forking} servers and owns their worker pools.
 *
 * <p>A forking server is an ordinary {@link StreamServer} (same accept loop, verify rules, limits and
 * lifecycle) whose handler passes each connection on to a worker process; at most {@code maxChildren}
 * connections are with workers at once, so further clients wait in the listen backlog as they would for a free
 * child in Python. Lifecycle: {@link #create} before the server opens, {@link #opened} once it is bound
 * (the workers need its real address), {@link #close} after the servers are closed. Not thread-safe: the
 * host calls it from the thread that starts and stops it.
 */
public final class ForkingServers implements AutoCloseable {
    private final Map<SocketServer, WorkerPool> pools = new LinkedHashMap<>();

    /**
     * @param config a forking server on a stream transport
     * @param hooks the plugin's hooks: {@code verifyRequest}, {@code serviceActions} and {@code handleTimeout}
     *              run in the host, {@code handleError} in the worker that failed
     * @param pluginJar the jar of the plugin that supplies the handler, loaded by every worker
     */
    public StreamServer create(ServerConfig config, ServerHooks hooks, Path pluginJar) {
        if (config.concurrency().mode() != ConcurrencyMode.FORKING || !config.transport().isStream()) {
            throw new IllegalArgumentException("server " + config.name() + ": not a forking stream server");
        }
        WorkerPool pool = new WorkerPool(config, new WorkerLauncher(config, pluginJar));
        ConcurrencyConfig c = config.concurrency();
        ConcurrencyConfig handOffs = new ConcurrencyConfig(ConcurrencyMode.THREADING, c.maxChildren(), false,
                c.daemonThreads(), c.blockOnClose(), c.maxChildren(), c.requestsPerChild(), c.warmWorkers(),
                c.requestTimeout(), List.of());
        StreamServer server = new StreamServer(config, () -> new RelayHandler(config.name(), pool), hooks,
                new ThreadPerRequestDispatcher(config.name(), handOffs));
        pools.put(server, pool);
        return server;
    }

    /** Starts the warm workers of a server built here, now that it is bound. Other servers are ignored. */
    public void opened(SocketServer server) throws IOException {
        WorkerPool pool = pools.get(server);
        if (pool != null) {
            pool.start(server.boundAddress());
        }
    }

    /** Stops every worker of every server built here and waits until they have exited. */
    @Override
    public void close() {
        pools.values().forEach(WorkerPool::close);
        pools.clear();
    }
}
