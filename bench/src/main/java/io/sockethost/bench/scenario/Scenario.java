package io.sockethost.bench.scenario;

import java.util.List;

import io.sockethost.bench.peer.Peer;

/** One named measurement: starts each server in turn, measures it, stops it. */
public interface Scenario {
    /** The command-line name ("tcp-echo"). */
    String name();

    /** The servers it measures, in order. */
    List<Peer> peers();

    ScenarioResult run(Context context) throws InterruptedException;
}
