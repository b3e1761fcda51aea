package io.sockethost.bench.scenario;

import io.sockethost.bench.load.LoadClient;
import io.sockethost.bench.system.ProcStats;

/** Reads CPU counters when a measured window opens and closes. */
final class CpuSampler implements LoadClient.WindowObserver {
    private final ProcessHandle server;
    private long start;
    private double client0;
    private double server0;
    private double machine0;
    private Cpu result = Cpu.UNKNOWN;

    CpuSampler(ProcessHandle server) {
        this.server = server;
    }

    @Override
    public void opened() {
        start = System.nanoTime();
        client0 = ProcStats.selfCpuSeconds();
        server0 = ProcStats.cpuSeconds(server);
        machine0 = ProcStats.machineBusySeconds();
    }

    @Override
    public void closed() {
        double seconds = (System.nanoTime() - start) / 1e9;
        double client = (ProcStats.selfCpuSeconds() - client0) / seconds * 100;
        double serverCpu = (ProcStats.cpuSeconds(server) - server0) / seconds * 100;
        double machine = (ProcStats.machineBusySeconds() - machine0) / seconds * 100;
        result = new Cpu(client, serverCpu, Math.max(0, machine - client - serverCpu));
    }

    Cpu result() {
        return result;
    }
}
