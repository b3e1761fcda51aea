package io.sockethost.core.forking;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.api.Transport;
import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ClientRules;
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ConcurrencyMode;
import io.sockethost.core.config.ServerConfig;

/**
 * What a worker process needs to serve one server's requests, sent by the host as one JSON line on the
 * worker's stdin (not on its command line, where {@code ps} would show the plugin's settings). Immutable.
 *
 * @param workerId the number the worker introduces itself with on the relay socket
 * @param relaySocket the host's Unix socket the worker connects to for each request
 * @param requestsPerChild requests served before the worker exits; 0 = no limit
 * @param pluginJar the plugin jar, loaded on its own
 * @param boundAddress the address the host's server is bound to, as handlers should see it
 * @param readTimeoutMillis the server's {@code readTimeout}, applied by the worker; 0 = none
 * @param writeTimeoutMillis the server's {@code writeTimeout}, applied by the worker; 0 = none
 * @param home the host's installation folder, which handlers see as {@code ServerContext.home()}
 * @param handOff whether each request's header carries the client's descriptor, which the worker serves
 *                itself; otherwise the rest of the relay connection is the client's bytes
 */
record WorkerSpec(
        long workerId,
        String relaySocket,
        int requestsPerChild,
        String pluginJar,
        String serverName,
        String pluginId,
        String handlerClass,
        String hooksClass,
        String transport,
        String boundAddress,
        long readTimeoutMillis,
        long writeTimeoutMillis,
        JsonNode settings,
        String source,
        String home,
        boolean handOff) {

    static WorkerSpec of(long workerId, Path relaySocket, ServerConfig config, Path pluginJar, String boundAddress,
            boolean handOff) {
        return new WorkerSpec(workerId, relaySocket.toString(), config.concurrency().requestsPerChild(), pluginJar.toString(),
                config.name(), config.pluginId(), config.handlerClass(), config.hooksClass(),
                config.transport().descriptorName(), boundAddress,
                millis(config.readTimeout()), millis(config.writeTimeout()), config.settings(),
                config.source(), config.home().toString(), handOff);
    }

    /** @return a timeout in whole milliseconds, at least 1; 0 for none */
    private static long millis(Duration timeout) {
        return timeout == null ? 0 : Math.max(1, timeout.toMillis());
    }

    private static Duration duration(long millis) {
        return millis == 0 ? null : Duration.ofMillis(millis);
    }

    /**
     * The configuration the worker builds its server from: the host's, in {@code sync} mode (the worker runs
     * one request at a time) and without verify rules (the host applied them before passing the connection on).
     */
    ServerConfig serverConfig() {
        Transport t = Transport.fromDescriptorName(transport);
        ConcurrencyConfig sync = new ConcurrencyConfig(ConcurrencyMode.SYNC, 1, false, false, true, 1, 1, 0, null, List.of());
        return new ServerConfig(serverName, pluginId, handlerClass, t, Addresses.parse(t, boundAddress, Path.of("")), true,
                sync, null, duration(readTimeoutMillis), duration(writeTimeoutMillis), Duration.ofMillis(500), 1,
                true, false, true, 8192, "0660", ClientRules.ALLOW_ALL, hooksClass, settings, source, Path.of(home));
    }
}
