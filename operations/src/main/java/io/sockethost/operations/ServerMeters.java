package io.sockethost.operations;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sockethost.core.events.Refusal;
import io.sockethost.core.events.ServerEvents;

/**
 * One server's meters, fed by its {@link ServerEvents}. Every meter is made once, here, and each event is one
 * adder increment (Micrometer's counters are {@code DoubleAdder}s) or one histogram record: nothing is looked
 * up or allocated per request. A server restarted by a reload gets the same instance back from
 * {@link HostMetrics}, so its counts go on. Thread-safe.
 */
final class ServerMeters implements ServerEvents {
    /** Handler-duration buckets: from a fast echo to a slow client holding its connection. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(300)};

    private final Counter accepted;
    private final LongAdder open = new LongAdder();
    private final Counter requests;
    private final Counter errors;
    private final Counter[] refused = new Counter[Refusal.values().length];
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Timer duration;
    private final Counter workersStarted;
    private final Counter workersCrashed;
    private final LongAdder workersAlive = new LongAdder();

    ServerMeters(MeterRegistry registry, String server, String plugin, String transport) {
        Tags tags = Tags.of("server", server, "plugin", plugin, "transport", transport);
        accepted = Counter.builder("sockethost.connections.accepted").tags(tags)
                .description("Stream connections accepted past the verify rules and limits").register(registry);
        Gauge.builder("sockethost.connections.open", open, LongAdder::sum).tags(tags).strongReference(true)
                .description("Stream connections open now").register(registry);
        requests = Counter.builder("sockethost.requests").tags(tags)
                .description("Requests a handler ran for: connections on stream servers, datagrams on datagram servers")
                .register(registry);
        errors = Counter.builder("sockethost.handler.errors").tags(tags)
                .description("Handler steps that failed (client disconnects and read timeouts excluded)").register(registry);
        for (Refusal r : Refusal.values()) {
            refused[r.ordinal()] = Counter.builder("sockethost.refused").tags(tags).tag("reason", r.tag())
                    .description("Clients turned away before a handler: rules (allow/deny), verify (the plugin's hook), "
                            + "limit (maxConnectionsPerClient)").register(registry);
        }
        bytesIn = Counter.builder("sockethost.bytes.received").tags(tags).description("Bytes read from clients")
                .register(registry);
        bytesOut = Counter.builder("sockethost.bytes.sent").tags(tags).description("Bytes written to clients")
                .register(registry);
        duration = Timer.builder("sockethost.handler.duration").tags(tags).serviceLevelObjectives(BUCKETS)
                .description("Time from a handler's setup to the end of its finish").register(registry);
        workersStarted = Counter.builder("sockethost.workers.started").tags(tags)
                .description("Worker processes a forking server started").register(registry);
        workersCrashed = Counter.builder("sockethost.workers.crashed").tags(tags)
                .description("Worker processes that exited unexpectedly").register(registry);
        Gauge.builder("sockethost.workers.alive", workersAlive, LongAdder::sum).tags(tags).strongReference(true)
                .description("Worker processes alive now").register(registry);
    }

    @Override
    public void connectionOpened() {
        accepted.increment();
        open.increment();
    }

    @Override
    public void connectionClosed() {
        open.decrement();
    }

    @Override
    public void refused(Refusal reason) {
        refused[reason.ordinal()].increment();
    }

    @Override
    public void served(long nanos) {
        requests.increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerFailed() {
        errors.increment();
    }

    @Override
    public void bytesIn(long count) {
        bytesIn.increment(count);
    }

    @Override
    public void bytesOut(long count) {
        bytesOut.increment(count);
    }

    @Override
    public void workerStarted() {
        workersStarted.increment();
        workersAlive.increment();
    }

    @Override
    public void workerExited(boolean crashed) {
        workersAlive.decrement();
        if (crashed) {
            workersCrashed.increment();
        }
    }
}
