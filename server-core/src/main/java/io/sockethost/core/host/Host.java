package io.sockethost.core.host;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.assembly.CatalogParts;
import io.sockethost.core.assembly.ServerAssembly;
import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.ConfigProblem;
import io.sockethost.core.config.HostSettings;
import io.sockethost.core.config.OverrideFile;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.events.ServerObserver;
import io.sockethost.core.plugin.HostVersion;
import io.sockethost.core.plugin.LoadedPlugin;
import io.sockethost.core.plugin.PluginCatalog;
import io.sockethost.core.server.SocketServer;

/**
 * A running sockethost: the plugins of a {@code plugins/} folder, the operator's {@code conf/}, and one
 * server per enabled server declaration, each serving on a thread of its own.
 *
 * <p>{@link #load} reads and validates everything and starts nothing; {@link #start} binds every server
 * (all or none) and starts serving; {@link #stop} ends them. Not thread-safe except {@link #stop}, which
 * may come from a shutdown hook.
 */
public final class Host implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);

    private final HostLayout layout;
    private final PluginCatalog catalog;
    private final HostSettings settings;
    private final List<ServerConfig> configs;
    private final CatalogParts parts;
    private final List<SocketServer> servers = new ArrayList<>();
    private final List<Thread> loops = new ArrayList<>();
    private boolean stopped;
    private volatile ServerObserver observer = ServerObserver.NONE; // observe: metrics

    private final List<ConfigProblem> warnings;

    private Host(HostLayout layout, PluginCatalog catalog, HostSettings settings, List<ServerConfig> configs,
                 CatalogParts parts, List<ConfigProblem> warnings) {
        this.layout = layout;
        this.catalog = catalog;
        this.settings = settings;
        this.configs = configs;
        this.parts = parts;
        this.warnings = warnings;
    }

    /**
     * Loads the plugins and the configuration and validates both. Broken plugin jars are skipped (see
     * {@link #plugins()}); a broken configuration is an exception listing every problem.
     */
    public static Host load(HostLayout layout) throws IOException, ConfigException {
        return load(layout, PluginCatalog.load(layout.pluginsDir(), HostVersion.release()), UnaryOperator.identity());
    }

    /**
     * As {@link #load(HostLayout)}, rewriting each resolved server before validation completes (the test kit
     * moves servers to ephemeral addresses with it).
     */
    public static Host load(HostLayout layout, UnaryOperator<ServerConfig> adjustment) throws IOException, ConfigException {
        return load(layout, PluginCatalog.load(layout.pluginsDir(), HostVersion.release()), adjustment);
    }

    /**
     * Like {@link #load(HostLayout)}, with the plugins already loaded, so that a caller can report the
     * skipped plugin jars even when the configuration turns out to be broken. Takes ownership of
     * {@code catalog}: it is closed if the configuration is invalid, else when the host stops.
     */
    public static Host load(HostLayout layout, PluginCatalog catalog) throws ConfigException {
        return load(layout, catalog, UnaryOperator.identity());
    }

    private static Host load(HostLayout layout, PluginCatalog catalog, UnaryOperator<ServerConfig> adjustment)
            throws ConfigException {
        try {
            List<OverrideFile> overrides = OverrideFile.readAll(layout.confDir());
            HostSettings settings = HostSettings.from(overrides);
            Set<String> ids = catalog.plugins().stream().map(LoadedPlugin::id).collect(Collectors.toSet());
            CatalogParts parts = new CatalogParts(catalog);
            ServerConfigResolver resolver = new ServerConfigResolver(layout.home(), ids, parts.check())
                    .adjustingEach(adjustment);
            List<ServerConfig> configs = resolver.resolve(catalog.declaredServers(), overrides);
            return new Host(layout, catalog, settings, configs, parts, resolver.warnings());
        } catch (ConfigException | RuntimeException e) {
            catalog.close();
            throw e;
        }
    }

    public HostLayout layout() {
        return layout;
    }

    public PluginCatalog plugins() {
        return catalog;
    }

    public HostSettings settings() {
        return settings;
    }

    /** @return what the configuration check found worth knowing that does not stop the host */
    public List<ConfigProblem> warnings() {
        return warnings;
    }

    /** @return every server's effective configuration, enabled or not */
    public List<ServerConfig> configurations() {
        return configs;
    }

    /** @return the started servers, in declaration order */
    public List<SocketServer> servers() {
        return List.copyOf(servers);
    }

    /**
     * Makes every server started from now on report to {@code observer} (metrics); call before
     * {@link #start()}. Thread-safe.
     */
    public void observe(ServerObserver observer) {
        this.observer = observer;
    }

    /**
     * Binds every enabled server and starts serving. If one cannot bind, those already bound are closed
     * and the exception names the server and the address.
     */
    public synchronized void start() throws IOException {
        if (!servers.isEmpty() || stopped) {
            throw new IllegalStateException("host already started");
        }
        try {
            for (ServerConfig config : configs) {
                if (!config.enabled()) {
                    log.info("server {} ({}) is disabled", config.name(), config.pluginId());
                    continue;
                }
                SocketServer server = ServerAssembly.assemble(config, parts.partsFor(config));
                server.observe(observer.eventsFor(config)); // observe: metrics
                server.open();
                servers.add(server);
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(s -> s.close(Duration.ZERO));
            servers.clear();
            throw e;
        }
        for (SocketServer server : servers) {
            Thread loop = new Thread(() -> serve(server), server.config().name() + "-acceptor");
            loops.add(loop);
            loop.start();
            ServerConfig c = server.config();
            log.info("server {} ({}) listening on {} {} [{}]", c.name(), c.pluginId(), c.transport(),
                    Addresses.format(server.boundAddress()), c.concurrency().summary());
        }
    }

    private static void serve(SocketServer server) {
        try {
            server.serveForever();
        } catch (RuntimeException e) {
            log.error("server {}: stopped serving after an unexpected failure", server.config().name(), e);
        }
    }

    /**
     * Stops accepting on every server, lets running requests finish until the shutdown deadline, closes
     * every socket and removes socket files. Idempotent; safe from a shutdown hook.
     *
     * @return true if every request finished before the deadline
     */
    public synchronized boolean stop() {
        if (stopped) {
            return true;
        }
        stopped = true;
        // every server stops accepting and drains at once; then each gets what is left of the deadline
        servers.forEach(SocketServer::beginStop);
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        boolean clean = true;
        for (SocketServer server : servers) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            clean &= server.close(left);
        }
        for (Thread loop : loops) {
            try {
                loop.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        catalog.close();
        return clean;
    }

    @Override
    public void close() {
        stop();
    }
}
