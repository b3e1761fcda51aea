package io.sockethost.bench.scenario;

import io.sockethost.bench.load.LoadResult;
import io.sockethost.bench.peer.Kind;

/**
 * One server at one connection count.
 *
 * @param result null unless {@code status} is OK
 * @param runtime the runtime the server ran on ("JDK 17", "Python 3.11.7"), or ""
 */
public record ThroughputRow(String peerId, String server, Kind kind, String runtime, int connections, Status status,
                            String note, LoadResult result, Cpu cpu) {
    public boolean ok() {
        return status == Status.OK;
    }

    public double rate() {
        return ok() ? result.rate() : Double.NaN;
    }
}
