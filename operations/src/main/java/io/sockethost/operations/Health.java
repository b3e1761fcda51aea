package io.sockethost.operations;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.host.Host;
import io.sockethost.core.server.SocketServer;

/**
 * Whether every enabled server of a host listens, server by server: what {@code GET /health} answers.
 * Immutable.
 *
 * @param servers every enabled server with its state
 */
public record Health(List<ServerHealth> servers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a server is doing: {@code listening}, {@code stopping}, {@code stopped} (closed), {@code not started}. */
    public record ServerHealth(String name, String plugin, String transport, String address, String state) {
        boolean listening() {
            return state.equals("listening");
        }
    }

    public Health {
        servers = List.copyOf(servers);
    }

    /** @return the same servers, each listening one as {@code stopping}: the host has begun to stop */
    public Health stopping() {
        return new Health(servers.stream().map(s -> s.listening()
                ? new ServerHealth(s.name(), s.plugin(), s.transport(), s.address(), "stopping") : s).toList());
    }

    /** @return true when every enabled server listens (and there is at least one) */
    public boolean up() {
        return !servers.isEmpty() && servers.stream().allMatch(ServerHealth::listening);
    }

    /**
     * Reads the host's servers as they are now. A host that is changing its servers at this very moment (a
     * start or a reload under way) may not give a consistent list; it then reads as not up.
     */
    public static Health of(Host host) {
        List<SocketServer> running;
        try {
            running = host.servers();
        } catch (RuntimeException e) {
            running = List.of(); // the list changed under the copy: report nothing listening this time
        }
        return of(host.configurations(), running);
    }

    /**
     * @param configs every configured server, enabled or not (disabled ones are left out)
     * @param running the servers started from them
     */
    public static Health of(List<ServerConfig> configs, List<SocketServer> running) {
        List<ServerHealth> out = new ArrayList<>();
        for (ServerConfig config : configs) {
            if (!config.enabled()) {
                continue;
            }
            SocketServer server = running.stream().filter(s -> s.config().name().equals(config.name())).findFirst().orElse(null);
            String state = server == null ? "not started" : server.isOpen() ? "listening" : "stopped";
            String address = Addresses.format(server != null && server.boundAddress() != null ? server.boundAddress() : config.address());
            out.add(new ServerHealth(config.name(), config.pluginId(), config.transport().toString(), address, state));
        }
        return new Health(out);
    }

    /** @return {@code {"status":"up"|"down","servers":[{"name":..,"plugin":..,"transport":..,"address":..,"state":..}]}} */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode().put("status", up() ? "up" : "down");
        ArrayNode list = root.putArray("servers");
        for (ServerHealth s : servers) {
            list.addObject().put("name", s.name()).put("plugin", s.plugin()).put("transport", s.transport())
                    .put("address", s.address()).put("state", s.state());
        }
        return root.toString();
    }
}
