package io.sockethost.core.forking;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigJson;

/**
 * What a worker process needs to serve one server's requests, sent by the host as one JSON line on the
 * worker's stdin (not on its command line, where {@code ps} would show the plugin's settings). The
 * server's configuration travels in its effective JSON form ({@link ServerConfigJson}), which the worker
 * resolves with the host's own rules. Immutable.
 *
 * @param workerId the number the worker introduces itself with on the relay socket
 * @param relaySocket the host's Unix socket the worker connects to for each request
 * @param pluginJar the plugin jar, loaded on its own
 * @param serverName the server's name
 * @param pluginId the plugin that declares it
 * @param server the server's effective configuration, as {@code sockethost config} prints it
 * @param home the host's installation folder, against which relative paths resolve
 * @param boundAddress the address the host's server is bound to, as handlers should see it
 * @param handOff whether each request's header carries the client's descriptor, which the worker serves
 *                itself; otherwise the rest of the relay connection is the client's bytes
 */
public record WorkerSpec(
        long workerId,
        String relaySocket,
        String pluginJar,
        String serverName,
        String pluginId,
        JsonNode server,
        String home,
        String boundAddress,
        boolean handOff) {

    static WorkerSpec of(long workerId, Path relaySocket, ServerConfig config, Path pluginJar, String boundAddress,
            boolean handOff) {
        return new WorkerSpec(workerId, relaySocket.toString(), pluginJar.toString(), config.name(), config.pluginId(),
                ServerConfigJson.write(config, config.home()), config.home().toString(), boundAddress, handOff);
    }
}
