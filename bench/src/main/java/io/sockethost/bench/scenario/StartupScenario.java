package io.sockethost.bench.scenario;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sockethost.bench.PluginDescriptors;
import io.sockethost.bench.peer.Peer;
import io.sockethost.bench.peer.RunningServer;
import io.sockethost.bench.peer.Service;
import io.sockethost.bench.peer.SockethostPeer;
import io.sockethost.bench.peer.StartFailure;

/**
 * Start-up: from just before the process is started to the first correct TCP echo (polled about every
 * millisecond), each server started and stopped several times. The figure includes the JVM's (or
 * Python's) own start.
 */
public record StartupScenario(String name, String title, String description, List<Peer> peers) implements Scenario {
    public StartupScenario {
        peers = List.copyOf(peers);
    }

    @Override
    public ScenarioResult run(Context context) throws InterruptedException {
        List<StartupRow> rows = new ArrayList<>();
        int repeats = context.settings().profile().startupRepeats();
        for (Peer peer : peers) {
            String runtime = context.runtimeOf(peer);
            Optional<String> unavailable = peer.unavailable(context.env(), Service.TCP_ECHO);
            if (unavailable.isPresent()) {
                rows.add(new StartupRow(peer.id(), peer.name(), peer.kind(), runtime, Status.SKIPPED, unavailable.get(), List.of()));
                continue;
            }
            List<Double> millis = new ArrayList<>();
            String failure = null;
            for (int i = 0; i < repeats && failure == null; i++) {
                try (RunningServer server = RunningServer.start(peer, context.env(), Service.TCP_ECHO, ThroughputScenario.START_TIMEOUT)) {
                    millis.add(server.startedIn().toNanos() / 1e6);
                } catch (StartFailure | IOException | RuntimeException e) {
                    failure = e.getMessage();
                    if (e instanceof StartFailure f && !f.keptLog().isEmpty()) {
                        context.log("  %-40s did not start%s", peer.name(), f.keptLog());
                    }
                }
            }
            Status status = failure == null ? Status.OK : Status.FAILED;
            String note = failure != null ? "did not start: " + failure
                    : peer instanceof SockethostPeer ? "plugins: " + String.join(", ", pluginIds(context)) : "";
            StartupRow row = new StartupRow(peer.id(), peer.name(), peer.kind(), runtime, status, note, millis);
            rows.add(row);
            context.log("  %-40s start to first echo: median %6.0f ms (min %.0f, max %.0f, %d starts)%s", peer.name(),
                    row.median(), row.min(), row.max(), millis.size(), failure == null ? "" : " FAILED: " + failure);
        }
        return new ScenarioResult.Startup(name, title, description, rows);
    }

    private static List<String> pluginIds(Context context) {
        return context.env().pluginJars().stream().map(jar -> PluginDescriptors.read(jar).id()).toList();
    }
}
