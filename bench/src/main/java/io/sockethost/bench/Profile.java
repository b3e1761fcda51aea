package io.sockethost.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much of each scenario a run covers.
 *
 * <ul>
 * <li>{@code FULL}: 5-second points after a 1-second warm-up (2 s after a start), every connection count;
 * about 15 minutes (a forking server settles for minutes at 128 connections).</li>
 * <li>{@code QUICK}: 1-second points, fewer connection counts, and only sockethost {@code threading} beside the
 * peers the targets name; about a minute on 2 shared cores.</li>
 * <li>{@code SMOKE}: sockethost alone, 1-second points; what the test suite runs to prove the harness works.</li>
 * </ul>
 */
public enum Profile {
    FULL(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), 5, List.of(1_000, 10_000), Duration.ofSeconds(1)),
    QUICK(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1), 3, List.of(1_000), Duration.ofMillis(500)),
    SMOKE(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(1), 1, List.of(100), Duration.ofMillis(200));

    private final Duration serverWarmup;
    private final Duration warmup;
    private final Duration duration;
    private final int startupRepeats;
    private final List<Integer> heldConnections;
    private final Duration settle;

    Profile(Duration serverWarmup, Duration warmup, Duration duration, int startupRepeats, List<Integer> heldConnections,
            Duration settle) {
        this.serverWarmup = serverWarmup;
        this.warmup = warmup;
        this.duration = duration;
        this.startupRepeats = startupRepeats;
        this.heldConnections = heldConnections;
        this.settle = settle;
    }

    /** Warm-up of a server's first point, long enough for its JIT compiler to have done the hot paths. */
    public Duration serverWarmup() {
        return serverWarmup;
    }

    /** Warm-up of the following points. */
    public Duration warmup() {
        return warmup;
    }

    public Duration duration() {
        return duration;
    }

    /** How many times each server is started in the start-up scenario. */
    public int startupRepeats() {
        return startupRepeats;
    }

    /** The idle-connection counts of the memory scenario. */
    public List<Integer> heldConnections() {
        return heldConnections;
    }

    /** How long a server is left alone before its memory is read. */
    public Duration settle() {
        return settle;
    }

    /**
     * How long a UDP client waits for a reply before counting it lost and resending. On loopback a closed loop
     * never overflows a socket buffer, so what this catches is a stalled server; the smoke profile, which
     * must not depend on timing, waits longer than its steps last.
     */
    public java.time.Duration udpReplyTimeout() {
        return this == SMOKE ? Duration.ofSeconds(5) : Duration.ofSeconds(1);
    }

    /** Which connection counts to measure, given the full list. */
    public List<Integer> points(List<Integer> full, List<Integer> quick) {
        return switch (this) {
            case FULL -> full;
            case QUICK -> quick;
            case SMOKE -> List.of(quick.get(0));
        };
    }
}
