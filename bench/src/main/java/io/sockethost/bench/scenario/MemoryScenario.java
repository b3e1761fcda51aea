package io.sockethost.bench.scenario;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sockethost.bench.peer.Peer;
import io.sockethost.bench.peer.Probes;
import io.sockethost.bench.peer.RunningServer;
import io.sockethost.bench.peer.Service;
import io.sockethost.bench.peer.StartFailure;
import io.sockethost.bench.system.ProcStats;

/**
 * Memory: resident set size of the server's process tree idle, then holding idle TCP connections. Each
 * connection is proven to be served (one echo) before it is left idle, so a server that only lets
 * connections wait in its backlog does not look cheap. Connecting stops at a deadline per point.
 */
public record MemoryScenario(String name, String title, String description, List<Peer> peers) implements Scenario {
    private static final Duration POINT_DEADLINE = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final double KIB_PER_MIB = 1024.0;

    public MemoryScenario {
        peers = List.copyOf(peers);
    }

    @Override
    public ScenarioResult run(Context context) throws InterruptedException {
        List<MemoryRow> rows = new ArrayList<>();
        for (Peer peer : peers) {
            rows.add(measure(context, peer));
        }
        return new ScenarioResult.Memory(name, title, description, rows);
    }

    private MemoryRow measure(Context context, Peer peer) throws InterruptedException {
        String runtime = context.runtimeOf(peer);
        Optional<String> unavailable = peer.unavailable(context.env(), Service.TCP_ECHO);
        if (unavailable.isPresent()) {
            return new MemoryRow(peer.id(), peer.name(), peer.kind(), runtime, Status.SKIPPED, unavailable.get(), Double.NaN, List.of());
        }
        Duration settle = context.settings().profile().settle();
        List<Socket> held = new ArrayList<>();
        List<MemoryRow.Point> points = new ArrayList<>();
        try (RunningServer server = RunningServer.start(peer, context.env(), Service.TCP_ECHO, ThroughputScenario.START_TIMEOUT)) {
            try {
                RunningServer.Quiet quiet = server.awaitQuiet();
                context.log("  %-40s %s", peer.name(), quiet);
                Thread.sleep(settle.toMillis());
                double idle = ProcStats.rssKiB(server.handle()) / KIB_PER_MIB;
                context.log("  %-40s idle: %7.1f MiB", peer.name(), idle);
                String missed = hold(context, peer, server, held, points, settle);
                if (!missed.isEmpty()) {
                    context.log("  %-40s %s; server log kept in %s", peer.name(), missed, server.keepLog());
                }
                return new MemoryRow(peer.id(), peer.name(), peer.kind(), runtime, Status.OK, quiet.noteWith(missed),
                        idle, points);
            } finally {
                // the clients leave first, so that every server stops as it would in service
                held.forEach(MemoryScenario::closeQuietly);
            }
        } catch (StartFailure | IOException | RuntimeException e) {
            context.log("  %-40s did not start: %s%s", peer.name(), e.getMessage(),
                    e instanceof StartFailure f ? f.keptLog() : "");
            return new MemoryRow(peer.id(), peer.name(), peer.kind(), runtime, Status.FAILED, "did not start: " + e.getMessage(),
                    Double.NaN, points);
        }
    }

    /** Opens connections up to each point and reads the memory there; returns a note if a point was not reached. */
    private static String hold(Context context, Peer peer, RunningServer server, List<Socket> held,
                               List<MemoryRow.Point> points, Duration settle) throws InterruptedException {
        for (int target : context.settings().profile().heldConnections()) {
            long deadline = System.nanoTime() + POINT_DEADLINE.toNanos();
            int failures = 0;
            while (held.size() + failures < target && System.nanoTime() < deadline && server.alive()) {
                Socket socket = open(server.address());
                if (socket != null) {
                    held.add(socket);
                } else {
                    failures++;
                }
            }
            Thread.sleep(settle.toMillis());
            double rss = ProcStats.rssKiB(server.handle()) / KIB_PER_MIB;
            points.add(new MemoryRow.Point(target, held.size(), rss));
            context.log("  %-40s %,6d connections held of %,d: %7.1f MiB", peer.name(), held.size(), target, rss);
            if (held.size() < target) {
                return "held " + held.size() + " of " + target + " connections"
                        + (server.alive() ? "" : "; the server exited: " + server.health());
            }
        }
        return "";
    }

    /** A connection that answered one echo, or null. */
    private static Socket open(InetSocketAddress address) {
        Socket socket = new Socket();
        try {
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            if (Probes.echo(socket)) {
                return socket;
            }
        } catch (IOException e) {
            // counted by the caller as a connection not held
        }
        closeQuietly(socket);
        return null;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the server is being stopped anyway
        }
    }
}
