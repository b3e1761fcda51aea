package io.sockethost.core.host;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigJson;

/**
 * What a reload does to each server, decided before anything changes. A server is unchanged when its
 * effective configuration (as {@code sockethost config} writes it) is the same and its plugin's jar is the
 * very one loaded before. Immutable.
 *
 * @param kept names of servers that keep serving untouched
 * @param changed servers that restart with a new configuration or a new jar
 * @param added servers that start
 * @param removed names of servers that stop for good
 * @param startFirst servers to start before any server stops: new ones, and changed ones whose address is
 *     free now (they moved, or port 0) or can be shared ({@code reusePort} on both), whose old server stops
 *     once the new one listens
 * @param toStop names of the servers to drain and stop before {@code startAfterStop} starts
 * @param startAfterStop servers that need an address a stopping server still holds
 */
record ReloadPlan(List<String> kept, List<ServerConfig> changed, List<ServerConfig> added, List<String> removed,
                  List<ServerConfig> startFirst, List<String> toStop, List<ServerConfig> startAfterStop) {

    /**
     * @param runningNow the configurations of the servers that serve now
     * @param next every server of the new configuration, enabled or not
     * @param sameJar whether the named running server's plugin is still the same loaded jar
     * @param home for the configurations' JSON form
     */
    static ReloadPlan of(List<ServerConfig> runningNow, List<ServerConfig> next, Predicate<String> sameJar, Path home) {
        Map<String, ServerConfig> wanted = next.stream().filter(ServerConfig::enabled)
                .collect(Collectors.toMap(ServerConfig::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
        List<SocketAddress> held = runningNow.stream().map(ServerConfig::address).filter(ReloadPlan::fixed).toList();
        List<String> kept = new ArrayList<>();
        List<ServerConfig> changed = new ArrayList<>();
        List<ServerConfig> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<ServerConfig> startFirst = new ArrayList<>();
        List<String> toStop = new ArrayList<>();
        List<ServerConfig> startAfterStop = new ArrayList<>();
        for (ServerConfig old : runningNow) {
            ServerConfig now = wanted.get(old.name());
            if (now == null) {
                removed.add(old.name());
                toStop.add(old.name());
            } else if (now.pluginId().equals(old.pluginId()) && sameJar.test(old.name())
                    && ServerConfigJson.write(now, home).equals(ServerConfigJson.write(old, home))) {
                kept.add(old.name());
            } else {
                changed.add(now);
                if (!held.contains(now.address()) || !fixed(now.address()) || sharesPort(old, now)) {
                    startFirst.add(now); // the old server stops once this one listens
                } else {
                    toStop.add(old.name());
                    startAfterStop.add(now);
                }
            }
        }
        List<String> runningNames = runningNow.stream().map(ServerConfig::name).toList();
        for (ServerConfig now : wanted.values()) {
            if (!runningNames.contains(now.name())) {
                added.add(now);
                (held.contains(now.address()) ? startAfterStop : startFirst).add(now);
            }
        }
        return new ReloadPlan(kept, changed, added, removed, startFirst, toStop, startAfterStop);
    }

    /**
     * @return whether the new server can bind the old one's address while it still listens: both set
     *     {@code reusePort} (SO_REUSEPORT) on the same tcp or udp address
     */
    private static boolean sharesPort(ServerConfig old, ServerConfig now) {
        return old.reusePort() && now.reusePort() && !now.transport().isUnix() && old.transport() == now.transport()
                && old.address().equals(now.address());
    }

    /** @return false for an address whose port the system picks (port 0): it never clashes */
    private static boolean fixed(SocketAddress address) {
        return !(address instanceof InetSocketAddress inet) || inet.getPort() != 0;
    }
}
