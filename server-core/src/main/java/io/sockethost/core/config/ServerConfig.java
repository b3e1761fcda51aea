package io.sockethost.core.config;

import java.net.SocketAddress;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.api.Transport;

/**
 * One server's effective, validated configuration: the plugin's declaration with the operator's
 * overrides applied and every default filled in ({@link ServerDefaults}). Built by
 * {@link ServerConfigResolver} only; its JSON form is {@link ServerConfigJson}. Immutable.
 *
 * @param name unique in the host
 * @param pluginId the plugin whose handler serves it
 * @param handlerClass the handler's class name, found in the plugin
 * @param transport tcp, udp, unix-stream or unix-datagram
 * @param address where to bind; port 0 picks a free port
 * @param enabled false: declared but not started
 * @param concurrency how requests run
 * @param timeout Python's {@code server.timeout}: how long handle-one-request waits ({@code null} = forever)
 * @param readTimeout how long a read on a stream connection may block ({@code null} = forever)
 * @param writeTimeout how long a write on a stream connection may block before the connection is closed
 *     ({@code null} = forever)
 * @param pollInterval how often the serve loop checks for shutdown and runs service actions
 * @param requestQueueSize the listen backlog
 * @param allowReuseAddress SO_REUSEADDR
 * @param reusePort SO_REUSEPORT (where the platform has it)
 * @param noDelay TCP_NODELAY on accepted connections
 * @param maxPacketSize datagram transports: the largest datagram read; longer ones are truncated
 * @param socketMode Unix transports: the socket file's permissions, e.g. {@code rw-rw----}
 * @param clientRules the verify rules
 * @param proxyProtocol stream transports: the PROXY protocol's settings, or {@code null} when it is off
 * @param hooksClass the plugin's {@code ServerHooks} class, or {@code null}
 * @param lifecycleClass the plugin's {@code ServerLifecycle} class, or {@code null}
 * @param settings the free-form settings object handed to the plugin
 * @param source where the server was declared (for messages)
 * @param home the host's installation folder, against which relative paths resolve
 * @param tls tcp servers: the certificate files to serve TLS with, or {@code null} for plain connections
 */
public record ServerConfig(
        String name,
        String pluginId,
        String handlerClass,
        Transport transport,
        SocketAddress address,
        boolean enabled,
        ConcurrencyConfig concurrency,
        Duration timeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration pollInterval,
        int requestQueueSize,
        boolean allowReuseAddress,
        boolean reusePort,
        boolean noDelay,
        int maxPacketSize,
        String socketMode,
        ClientRules clientRules,
        ProxyProtocolConfig proxyProtocol,
        String hooksClass,
        String lifecycleClass,
        JsonNode settings,
        String source,
        java.nio.file.Path home,
        TlsConfig tls) {

    /** @return this configuration bound to another address */
    public ServerConfig withAddress(SocketAddress newAddress) {
        return new ServerConfig(name, pluginId, handlerClass, transport, newAddress, enabled, concurrency, timeout, readTimeout,
                writeTimeout, pollInterval, requestQueueSize, allowReuseAddress, reusePort, noDelay, maxPacketSize, socketMode,
                clientRules, proxyProtocol, hooksClass, lifecycleClass, settings, source, home, tls);
    }
}
