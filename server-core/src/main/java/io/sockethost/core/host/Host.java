package io.sockethost.core.host;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
import io.sockethost.core.config.ServerConfigResolver.PluginCheck;
import io.sockethost.core.config.ServerConfigResolver.SkippedServer;
import io.sockethost.core.events.ServerObserver;
import io.sockethost.core.plugin.HostVersion;
import io.sockethost.core.plugin.LoadedPlugin;
import io.sockethost.core.plugin.PluginCatalog;
import io.sockethost.core.server.SocketServer;
import io.sockethost.core.server.StreamServer;
import io.sockethost.core.tls.TlsCheck;

/**
 * A running sockethost: the plugins of a {@code plugins/} folder, the operator's {@code conf/}, and one
 * server per enabled server declaration, each serving on a thread of its own.
 *
 * <p>{@link #load} reads and validates everything and starts nothing; servers of missing or skipped
 * plugins are left out ({@link #skippedServers()}). {@link #start} binds every server and starts serving;
 * {@link #reload} reads {@code conf/} and {@code plugins/} again and changes only what changed;
 * {@link #stop} ends them. {@code start}, {@code reload} and {@code stop} are serialized (PF4J is not
 * thread-safe) and may come from any thread; a stop requested while the host starts or reloads makes it
 * stop starting servers at the next one. {@link #abort()} is for a JVM that is going down regardless.
 */
public final class Host implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);

    /** A server that serves, with the thread of its serve loop. */
    private record Running(SocketServer server, Thread loop) {
    }

    /** What a configuration read gives: the catalog it was checked against and the servers. */
    private record Resolution(PluginCatalog catalog, HostSettings settings, List<ServerConfig> configs,
                              List<SkippedServer> skipped, List<ConfigProblem> warnings) {
    }

    private final HostLayout layout;
    private final UnaryOperator<ServerConfig> adjustment;
    private final Object lock = new Object();
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by {@link #lock}. */
    private Resolution current;
    /** Guarded by {@link #lock}; in configuration order. */
    private final Map<String, Running> running = new LinkedHashMap<>();
    /** Guarded by {@link #lock}: servers taken out of service that are draining (a reload or a stop). */
    private final List<SocketServer> draining = new ArrayList<>();
    /** What {@link #servers()} reads without the lock. */
    private volatile List<SocketServer> serving = List.of();
    /** What {@link #openServers()} and {@link #abort()} read without the lock: serving and draining. */
    private volatile List<SocketServer> open = List.of();
    private volatile boolean stopRequested;
    /** The thread in {@link #start()}, which a stop request interrupts; guarded by {@link #interruptLock}. */
    private Thread starting;
    private final Object interruptLock = new Object();
    private boolean started;
    private boolean stopped;
    private volatile ServerObserver observer = ServerObserver.NONE; // observe: metrics

    private Host(HostLayout layout, UnaryOperator<ServerConfig> adjustment, Resolution resolution) {
        this.layout = layout;
        this.adjustment = adjustment;
        this.current = resolution;
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
     * moves servers to ephemeral addresses with it); reloads rewrite them the same way.
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
            return new Host(layout, adjustment, resolve(layout, catalog, adjustment));
        } catch (ConfigException | RuntimeException e) {
            catalog.close();
            throw e;
        }
    }

    private static Resolution resolve(HostLayout layout, PluginCatalog catalog, UnaryOperator<ServerConfig> adjustment)
            throws ConfigException {
        List<OverrideFile> overrides = OverrideFile.readAll(layout.confDir());
        HostSettings settings = HostSettings.from(overrides);
        Set<String> ids = catalog.plugins().stream().map(LoadedPlugin::id).collect(Collectors.toSet());
        PluginCheck plugins = new CatalogParts(catalog).check();
        PluginCheck tls = new TlsCheck();
        ServerConfigResolver resolver = new ServerConfigResolver(layout.home(), ids, (server, problems) -> {
            plugins.check(server, problems);
            tls.check(server, problems);
        }).adjustingEach(adjustment);
        List<ServerConfig> configs = resolver.resolve(catalog.declaredServers(), overrides);
        return new Resolution(catalog, settings, configs, resolver.skipped(), resolver.warnings());
    }

    /** Adds a listener; see {@link HostListener} for when it is called. */
    public void addListener(HostListener listener) {
        listeners.add(listener);
    }

    public HostLayout layout() {
        return layout;
    }

    public PluginCatalog plugins() {
        synchronized (lock) {
            return current.catalog();
        }
    }

    public HostSettings settings() {
        synchronized (lock) {
            return current.settings();
        }
    }

    /** @return what the configuration check found worth knowing that does not stop the host */
    public List<ConfigProblem> warnings() {
        synchronized (lock) {
            return current.warnings();
        }
    }

    /**
     * @return the servers the configuration names that no loaded plugin declares (their plugin is missing
     *     or was skipped); they are not started
     */
    public List<SkippedServer> skippedServers() {
        synchronized (lock) {
            return current.skipped();
        }
    }

    /** @return every server's effective configuration, enabled or not */
    public List<ServerConfig> configurations() {
        synchronized (lock) {
            return current.configs();
        }
    }

    /** @return the servers that serve now, in configuration order */
    public List<SocketServer> servers() {
        return serving;
    }

    /**
     * Makes every server started from now on report to {@code observer} (metrics); call before
     * {@link #start()}. Thread-safe.
     */
    public void observe(ServerObserver observer) {
        this.observer = observer;
    }

    /**
     * Asks for a stop without waiting for it: a start or reload in progress starts no further server. Call
     * {@link #stop()} to stop. Thread-safe, safe on a signal thread.
     */
    public void requestStop() {
        stopRequested = true;
        synchronized (interruptLock) {
            if (starting != null) {
                starting.interrupt(); // a plugin's lifecycle start may take long: ask it to give up
            }
        }
    }

    /**
     * @return the servers whose sockets are open: those that serve and those still draining in a reload or
     *     a stop (for removing socket files when the process must exit at once)
     */
    public List<SocketServer> openServers() {
        return open;
    }

    /** @return whether a stop has been asked for (the host may still be draining) */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Binds every enabled server and starts serving, logging one warning per missing or skipped plugin
     * first. If one cannot bind, those already bound are closed and the exception names the server and the
     * address. If a stop is requested meanwhile ({@link #requestStop()}), the server being started is
     * interrupted, no further server starts and this returns; {@link #stop} then stops those that did.
     */
    public void start() throws IOException {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("host already started");
            }
            started = true;
            if (stopped) {
                return; // stopped before it started: nothing to start
            }
            warnMissing(current);
            synchronized (interruptLock) {
                starting = Thread.currentThread();
            }
            try {
                startAll();
            } finally {
                synchronized (interruptLock) {
                    starting = null;
                    Thread.interrupted(); // only a stop request interrupts this thread, and it has been seen
                }
            }
        }
        notifyListeners(l -> l.started(serving.size()));
    }

    private void startAll() throws IOException {
        try {
            for (ServerConfig config : current.configs()) {
                if (stopRequested) {
                    log.info("stop requested while starting: no further servers start");
                    break;
                }
                if (!config.enabled()) {
                    log.info("server {} ({}) is disabled", config.name(), config.pluginId());
                    continue;
                }
                try {
                    launch(config, current.catalog());
                } catch (IOException | RuntimeException e) {
                    if (!stopRequested) {
                        throw e;
                    }
                    log.info("server {} did not start: the stop came first ({})", config.name(), e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            running.values().forEach(r -> r.server().close(Duration.ZERO));
            running.clear();
            publish();
            throw e;
        }
    }

    private void warnMissing(Resolution resolution) {
        for (String line : MissingPlugins.describe(resolution.catalog().failures(), resolution.skipped(), layout.home())) {
            log.warn(line);
        }
    }

    /** Builds, binds and starts serving one server; logs where it listens. */
    private Running launch(ServerConfig config, PluginCatalog catalog) throws IOException {
        SocketServer server = ServerAssembly.assemble(config, new CatalogParts(catalog).partsFor(config));
        server.observe(observer.eventsFor(config)); // observe: metrics
        server.open();
        Thread loop = new Thread(() -> serve(server), config.name() + "-acceptor");
        loop.start();
        Running r = new Running(server, loop);
        running.put(config.name(), r);
        publish();
        log.info("server {} ({}) listening on {} {} [{}]", config.name(), config.pluginId(), config.transport(),
                Addresses.format(server.boundAddress()), config.concurrency().summary());
        return r;
    }

    private void publish() {
        serving = running.values().stream().map(Running::server).toList();
        List<SocketServer> all = new ArrayList<>(serving);
        all.addAll(draining);
        open = List.copyOf(all);
    }

    private static void serve(SocketServer server) {
        try {
            server.serveForever();
        } catch (RuntimeException e) {
            if (!server.isOpen()) {
                // A stop or reload closed it before this thread began serving: nothing went wrong.
                log.debug("server {}: closed before it began serving", server.config().name());
                return;
            }
            log.error("server {}: stopped serving after an unexpected failure", server.config().name(), e);
        }
    }

    /**
     * Reads {@code conf/} and {@code plugins/} again and applies the difference: unchanged servers keep
     * serving untouched; a changed one drains (up to {@code host.shutdownTimeout}) and starts again with its
     * new configuration, binding its new address first if it moved; new servers start; servers that are
     * gone (their jar removed, or disabled) drain and stop; a replaced jar's servers restart on the new jar
     * and the old jar's class loader is closed. A configuration with any problem changes nothing: every
     * problem is logged.
     *
     * @return true if the new configuration was applied (a server that then failed to bind is logged)
     */
    public boolean reload() {
        notifyListeners(HostListener::reloading);
        boolean applied;
        synchronized (lock) {
            applied = reloadLocked();
        }
        boolean result = applied;
        notifyListeners(l -> l.reloaded(result, serving.size()));
        return result;
    }

    private boolean reloadLocked() {
        if (!started || stopped || stopRequested) {
            log.warn("reload ignored: the host is {}", stopped || stopRequested ? "stopping" : "not started yet");
            return false;
        }
        log.info("reloading {} and {}", layout.confDir(), layout.pluginsDir());
        PluginCatalog next;
        try {
            next = current.catalog().rescan();
        } catch (IOException e) {
            log.error("reload failed, nothing changed: cannot list {}: {}", layout.pluginsDir(), e.toString());
            return false;
        }
        Resolution resolution;
        try {
            resolution = resolve(layout, next, adjustment);
        } catch (ConfigException | RuntimeException e) {
            List<?> problems = e instanceof ConfigException c ? c.problems() : List.of(e.toString());
            log.error("reload failed, nothing changed: {} problem(s) in the configuration", problems.size());
            problems.forEach(p -> log.error("  {}", p));
            next.retire(current.catalog());
            return false;
        }
        warnMissing(resolution);
        ReloadPlan plan = ReloadPlan.of(running.keySet().stream().map(n -> running.get(n).server().config()).toList(),
                resolution.configs(), name -> current.catalog().sameLoad(next, pluginOf(name)), layout.home());
        apply(plan, resolution);
        current.catalog().retire(next);
        current = resolution;
        log.info("reloaded: {} server(s) kept, {} restarted, {} started, {} stopped; {} serving", plan.kept().size(),
                plan.changed().size(), plan.added().size(), plan.removed().size(), running.size());
        return true;
    }

    /**
     * A kept server's certificate files may have changed while its configuration did not (a renewal): it
     * takes them without closing its listener. The configuration check has just loaded them, so a failure
     * here is a file changed since; the server then keeps its old certificate.
     */
    private void reloadTls(String serverName) {
        if (running.get(serverName).server() instanceof StreamServer stream) {
            try {
                stream.reloadTls();
            } catch (RuntimeException e) {
                log.error("server {}: keeps its old TLS certificate: {}", serverName, e.getMessage());
            }
        }
    }

    private String pluginOf(String serverName) {
        return running.get(serverName).server().config().pluginId();
    }

    private void apply(ReloadPlan plan, Resolution next) {
        Duration timeout = next.settings().shutdownTimeout();
        plan.kept().forEach(this::reloadTls);
        // Servers that move bind their new address before the old one lets go, so that they never refuse.
        List<Running> replaced = new ArrayList<>();
        for (ServerConfig config : plan.startFirst()) {
            Running old = running.remove(config.name());
            try {
                launch(config, next.catalog());
                if (old != null) {
                    replaced.add(old);
                }
            } catch (IOException | RuntimeException e) {
                if (old != null) {
                    running.put(config.name(), old);
                }
                publish();
                log.error("server {}: cannot start{}: {}", config.name(),
                        old == null ? "" : " with its new configuration, keeps its old one", e.getMessage());
            }
        }
        for (String name : plan.toStop()) {
            Running old = running.remove(name);
            if (old != null) {
                replaced.add(old);
            }
        }
        publish();
        drain(replaced, timeout);
        for (ServerConfig config : plan.startAfterStop()) {
            try {
                launch(config, next.catalog());
            } catch (IOException | RuntimeException e) {
                log.error("server {}: cannot start: {}", config.name(), e.getMessage());
            }
        }
    }

    /**
     * Stops accepting on every server at once, then gives each what is left of the deadline. The servers
     * count as open ({@link #openServers()}) until they are closed.
     */
    private boolean drain(List<Running> servers, Duration timeout) {
        servers.forEach(r -> draining.add(r.server()));
        publish();
        try {
            return drainAll(servers, timeout);
        } finally {
            servers.forEach(r -> draining.remove(r.server()));
            publish();
        }
    }

    private static boolean drainAll(List<Running> servers, Duration timeout) {
        servers.forEach(r -> r.server().beginStop());
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean clean = true;
        for (Running r : servers) {
            clean &= r.server().close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (Running r : servers) {
            try {
                r.loop().join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("server {} stopped", r.server().config().name());
        }
        return clean;
    }

    /**
     * Stops accepting on every server, lets running requests finish until the shutdown deadline, closes
     * every socket and removes socket files, then unloads the plugins. Idempotent; safe from any thread.
     * A start or reload in progress stops at its next server first.
     *
     * @return true if every request finished before the deadline
     */
    public boolean stop() {
        stopRequested = true;
        notifyListeners(HostListener::stopping);
        synchronized (lock) {
            if (stopped) {
                return true;
            }
            stopped = true;
            List<Running> all = new ArrayList<>(running.values());
            running.clear();
            publish();
            boolean clean = drain(all, current.settings().shutdownTimeout());
            current.catalog().close();
            return clean;
        }
    }

    /**
     * For a JVM that exits whatever happens (a plugin called {@code System.exit}): closes every server at once
     * without waiting for requests, which removes socket files and ends forking workers. Does not take the
     * lock that a start, reload or stop may hold. Safe from a shutdown hook.
     */
    public void abort() {
        stopRequested = true;
        for (SocketServer server : open) {
            try {
                server.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("server {}: closing failed: {}", server.config().name(), e.toString());
            }
        }
    }

    private void notifyListeners(Consumer<HostListener> event) {
        for (HostListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("host listener {} failed: {}", listener, e.toString());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
