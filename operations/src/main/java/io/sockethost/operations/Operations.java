package io.sockethost.operations;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.Addresses;
import io.sockethost.core.host.Host;

/**
 * Everything an operator watches a running host with, attached to one host: metrics ({@link HostMetrics},
 * also as JMX MBeans), the admin listener if {@code host.admin.address} is set, and systemd notifications.
 *
 * <p>Use: {@link #attach} before {@code host.start()} (servers report from their first request); then
 * {@link #serving()} once every server listens, {@link #stopping()} when a stop begins, {@link #close()} after
 * it. A reload brackets its work with {@link #reloading()} and {@link #reloaded(boolean)}. Thread-safe.
 */
public final class Operations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Operations.class);

    private final Host host;
    private final HostMetrics metrics;
    private final MeterMBeans mbeans;
    /** Set once, in {@link #attach}; null when the listener is off. */
    private volatile AdminServer admin;
    private final SystemdNotifier systemd;
    private volatile boolean stopping;

    private Operations(Host host, HostMetrics metrics, MeterMBeans mbeans, SystemdNotifier systemd) {
        this.host = host;
        this.metrics = metrics;
        this.mbeans = mbeans;
        this.systemd = systemd;
    }

    /**
     * Makes the host's servers report to new meters, exposes them through JMX, and starts the admin listener
     * when the host's settings name an address.
     *
     * @throws IOException if the admin listener cannot bind its address (nothing stays attached)
     */
    public static Operations attach(Host host) throws IOException {
        HostMetrics metrics = new HostMetrics(() -> host.plugins().plugins().size(), () -> host.plugins().failures().size());
        MeterMBeans mbeans = new MeterMBeans(metrics.registry());
        Operations operations = new Operations(host, metrics, mbeans, SystemdNotifier.fromEnvironment(System.getenv()));
        if (host.settings().adminAddress() != null) {
            try {
                operations.admin = AdminServer.start(host.settings().adminAddress(), metrics::scrape, operations::health);
            } catch (IOException e) {
                operations.close();
                throw e;
            }
            log.info("admin listener on http://{}/ (GET /metrics, GET /health)", Addresses.format(operations.admin.address()));
        }
        host.observe(metrics);
        return operations;
    }

    /** The host's servers; all of them read as stopping once a stop has begun, so that balancers turn away. */
    private Health health() {
        Health health = Health.of(host);
        return stopping ? health.stopping() : health;
    }

    /** Every server listens: tells systemd {@code READY=1} with the count of servers. */
    public void serving() {
        systemd.ready(status());
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
        metrics.reloaded(applied);
        systemd.ready(status());
    }

    private String status() {
        Health health = Health.of(host);
        long listening = health.servers().stream().filter(Health.ServerHealth::listening).count();
        return "serving: " + listening + " of " + health.servers().size() + " server(s) listening";
    }

    /** @return the metrics, for tests and for whoever counts more */
    public HostMetrics metrics() {
        return metrics;
    }

    /** @return the admin listener's address, or null when it is off */
    public java.net.InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        mbeans.close();
        metrics.close();
    }
}
