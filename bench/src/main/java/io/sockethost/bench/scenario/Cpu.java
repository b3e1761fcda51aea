package io.sockethost.bench.scenario;

/**
 * CPU used during a measured window, in percent of one core (the machine's total is 100 x cores):
 * the load client, the server (with its child processes), and everything else on the machine.
 */
public record Cpu(double client, double server, double other) {
    public static final Cpu UNKNOWN = new Cpu(Double.NaN, Double.NaN, Double.NaN);
}
