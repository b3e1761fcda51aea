package io.sockethost.bench.scenario;

import java.util.List;

import io.sockethost.bench.peer.Kind;

/**
 * Resident memory of one server (its whole process tree), idle and while holding idle connections.
 *
 * @param idleMiB after start-up and one request
 */
public record MemoryRow(String peerId, String server, Kind kind, String runtime, Status status, String note,
                        double idleMiB, List<Point> points) {
    /** @param held how many of the connections answered an echo (the server was serving them all) */
    public record Point(int connections, int held, double rssMiB) {
    }

    public MemoryRow {
        points = List.copyOf(points);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Growth per 1,000 held connections at the largest point, in MiB. */
    public double perThousandMiB() {
        if (points.isEmpty()) {
            return Double.NaN;
        }
        Point last = points.get(points.size() - 1);
        return last.held() == 0 ? Double.NaN : (last.rssMiB() - idleMiB) / last.held() * 1000;
    }
}
