package io.sockethost.operations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.Addresses;
import io.sockethost.core.host.Host;

/**
 * Everything an operator watches a running host with: metrics ({@link HostMetrics}, also as JMX MBeans), the
 * admin listener if {@code host.admin.address} is set, and systemd notifications.
 *
 * <p>Use: {@link #begin()} as early as possible (the metrics registry is made on a thread of its own, while
 * the caller loads plugins), {@link #attach} before {@code host.start()} (servers report from their first
 * request), {@link #serving()} once every server listens, {@link #stopping()} when a stop begins,
 * {@link #close()} after it. A reload brackets its work with {@link #reloading()} and
 * {@link #reloaded(boolean)}. Thread-safe.
 */
public final class Operations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Operations.class);

    private final CompletableFuture<HostMetrics> pending = new CompletableFuture<>();
    private final SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv());
    private volatile Host host;
    private volatile HostMetrics metrics;
    /** Null when the listener is off. */
    private volatile AdminServer admin;
    private volatile MeterMBeans mbeans;
    private volatile boolean stopping;

    private Operations() {
    }

    /**
     * Starts making the metrics registry on a daemon thread of its own (some hundred milliseconds of class
     * loading that need not hold up the start).
     */
    public static Operations begin() {
        Operations operations = new Operations();
        Thread thread = new Thread(() -> {
            try {
                operations.pending.complete(new HostMetrics(operations::pluginsLoaded, operations::pluginsSkipped));
            } catch (RuntimeException | LinkageError e) {
                operations.pending.completeExceptionally(e);
            }
        }, "sockethost-metrics-setup");
        thread.setDaemon(true);
        thread.start();
        return operations;
    }

    private int pluginsLoaded() {
        Host h = host;
        return h == null ? 0 : h.plugins().plugins().size();
    }

    private int pluginsSkipped() {
        Host h = host;
        return h == null ? 0 : h.plugins().failures().size();
    }

    /**
     * Makes the host's servers report to the meters and starts the admin listener when the host's settings
     * name an address. Call once, before {@code host.start()}.
     *
     * @throws IOException if the admin listener cannot bind its address
     */
    public void attach(Host host) throws IOException {
        this.host = host;
        HostMetrics m = awaitMetrics();
        if (host.settings().adminAddress() != null) {
            admin = AdminServer.start(host.settings().adminAddress(), m::scrape, this::health);
            log.info("admin listener on http://{}/ (GET /metrics, GET /health)", Addresses.format(admin.address()));
        }
        host.observe(m);
    }

    private HostMetrics awaitMetrics() {
        HostMetrics m = metrics;
        if (m != null) {
            return m;
        }
        try {
            metrics = pending.get();
            return metrics;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the metrics registry was being made", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot make the metrics registry: " + e.getCause(), e.getCause());
        }
    }

    /** The host's servers; all of them read as stopping once a stop has begun, so that balancers turn away. */
    private Health health() {
        Health health = Health.of(host);
        return stopping ? health.stopping() : health;
    }

    /**
     * Every server listens: tells systemd {@code READY=1} with the count of servers, then adds the JVM's meters
     * and the MBeans on a daemon thread (not needed to serve, so not on the way to it).
     */
    public void serving() {
        systemd.ready(status());
        HostMetrics m = awaitMetrics();
        Thread thread = new Thread(() -> {
            try {
                m.bindJvm();
                mbeans = new MeterMBeans(m.registry());
            } catch (RuntimeException | LinkageError e) {
                log.warn("JVM metrics and JMX MBeans unavailable: {}", e.toString());
            }
        }, "sockethost-metrics-jvm");
        thread.setDaemon(true);
        thread.start();
    }

    /** A stop begins: tells systemd {@code STOPPING=1}, and {@code /health} answers 503 from now on. */
    public void stopping() {
        stopping = true;
        systemd.stopping();
    }

    /** A reload begins: tells systemd {@code RELOADING=1}. */
    public void reloading() {
        systemd.reloading();
    }

    /**
     * A reload ended: counts it by outcome and tells systemd {@code READY=1} with the new count of servers
     * (also after a rejected reload: the host goes on serving as before).
     */
    public void reloaded(boolean applied) {
        awaitMetrics().reloaded(applied);
        systemd.ready(status());
    }

    private String status() {
        Health health = Health.of(host);
        long listening = health.servers().stream().filter(Health.ServerHealth::listening).count();
        return "serving: " + listening + " of " + health.servers().size() + " server(s) listening";
    }

    /** @return a listener that tells systemd and the metrics about the host's reloads */
    public io.sockethost.core.host.HostListener hostListener() {
        return new io.sockethost.core.host.HostListener() {
            @Override
            public void reloading() {
                Operations.this.reloading();
            }

            @Override
            public void reloaded(boolean applied, int servers) {
                Operations.this.reloaded(applied);
            }
        };
    }

    /** @return the admin listener's address, or null when it is off */
    public InetSocketAddress adminAddress() {
        AdminServer a = admin;
        return a == null ? null : a.address();
    }

    @Override
    public void close() {
        AdminServer a = admin;
        if (a != null) {
            a.close();
        }
        MeterMBeans b = mbeans;
        if (b != null) {
            b.close();
        }
        pending.thenAccept(HostMetrics::close);
    }
}
