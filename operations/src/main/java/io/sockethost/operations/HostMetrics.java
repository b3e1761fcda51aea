package io.sockethost.operations;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.ServerEvents;
import io.sockethost.core.events.ServerObserver;

/**
 * The host's meters in one Prometheus registry: each server's ({@link ServerMeters}, made when the host first
 * starts that server and kept across reloads), the plugins loaded and skipped, reloads by outcome, and, once
 * {@link #bindJvm()} is called, the JVM's (Micrometer's binders). The registry renders the Prometheus text format itself. Thread-safe;
 * {@link #close()} releases the binders' threads.
 */
public final class HostMetrics implements ServerObserver, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ServerMeters> servers = new ConcurrentHashMap<>();
    private final Counter reloadsApplied;
    private final Counter reloadsRejected;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * @param pluginsLoaded how many plugins are loaded now (read at every scrape)
     * @param pluginsSkipped how many plugin jars were skipped (read at every scrape)
     */
    public HostMetrics(IntSupplier pluginsLoaded, IntSupplier pluginsSkipped) {
        Gauge.builder("sockethost.plugins.loaded", pluginsLoaded, s -> s.getAsInt()).strongReference(true)
                .description("Plugins loaded").register(registry);
        Gauge.builder("sockethost.plugins.skipped", pluginsSkipped, s -> s.getAsInt()).strongReference(true)
                .description("Plugin jars skipped (missing, broken or for another host version)").register(registry);
        reloadsApplied = Counter.builder("sockethost.reloads").tag("outcome", "applied")
                .description("Reloads, by outcome: applied, or rejected with the running configuration kept").register(registry);
        reloadsRejected = Counter.builder("sockethost.reloads").tag("outcome", "rejected")
                .description("Reloads, by outcome: applied, or rejected with the running configuration kept").register(registry);
    }

    /**
     * Adds the JVM's meters (Micrometer's binders: memory, GC, threads, classes, CPU, uptime, open files).
     * About a hundred milliseconds of class loading and management beans, so the host does it once it
     * serves, not on the way there. Call once.
     */
    public void bindJvm() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public ServerEvents eventsFor(ServerConfig config) {
        return servers.computeIfAbsent(config.name(),
                name -> new ServerMeters(registry, name, config.pluginId(), config.transport().toString()));
    }

    /** Counts a reload; {@code applied} is false when it was rejected and nothing changed. */
    public void reloaded(boolean applied) {
        (applied ? reloadsApplied : reloadsRejected).increment();
    }

    /** @return every meter in the Prometheus text format (version 0.0.4) */
    public String scrape() {
        return registry.scrape();
    }

    /** @return the registry, for exposing the same meters elsewhere (JMX) */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
