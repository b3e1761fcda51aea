package io.sockethost.bench.scenario;

/** One named measurement: starts each server in turn, measures it, stops it. */
public interface Scenario {
    /** The command-line name ("tcp-echo"). */
    String name();

    ScenarioResult run(Context context) throws InterruptedException;
}
