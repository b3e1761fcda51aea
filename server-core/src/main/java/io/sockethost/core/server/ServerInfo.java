package io.sockethost.core.server;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.api.ServerContext;
import io.sockethost.api.SockethostException;
import io.sockethost.api.Transport;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.StrictJson;

/**
 * The {@link ServerContext} handlers see. Settings are bound once per requested type and cached, so a
 * handler may call {@link #settings} on every request cheaply; so is {@link #state}. Thread-safe.
 */
public final class ServerInfo implements ServerContext {
    /** What {@link #state} holds before the lifecycle started and after it stopped. */
    private static final Object NO_STATE = new Object();

    private final String name;
    private final String pluginId;
    private final Transport transport;
    private final JsonNode settings;
    private final Map<Class<?>, Object> boundSettings = new ConcurrentHashMap<>();
    private final java.nio.file.Path home;
    private volatile SocketAddress boundAddress;
    private volatile Object state = NO_STATE;

    /** @return the context of a server with this configuration, not bound yet (its address is the configured one) */
    public static ServerInfo of(ServerConfig config) {
        return new ServerInfo(config.name(), config.pluginId(), config.transport(), config.address(), config.settings(),
                config.home());
    }

    private ServerInfo(String name, String pluginId, Transport transport, SocketAddress configured, JsonNode settings,
               java.nio.file.Path home) {
        this.home = home;
        this.name = name;
        this.pluginId = pluginId;
        this.transport = transport;
        this.boundAddress = configured;
        this.settings = settings;
    }

    void boundTo(SocketAddress address) {
        this.boundAddress = address;
    }

    void started(Object lifecycleState) {
        this.state = lifecycleState;
    }

    /** @return the state the lifecycle made, now forgotten */
    Object stopped() {
        Object s = state;
        state = NO_STATE;
        return s == NO_STATE ? null : s;
    }

    @Override
    public <S> S state(Class<S> type) {
        Object s = state;
        if (s == NO_STATE) {
            throw new SockethostException("server " + name + ": no lifecycle state (the server has no \"lifecycle\", or "
                    + "it has not started)");
        }
        if (s != null && !type.isInstance(s)) {
            throw new SockethostException("server " + name + ": the lifecycle state is a " + s.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(s);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public SocketAddress boundAddress() {
        return boundAddress;
    }

    @Override
    public java.nio.file.Path home() {
        return home;
    }

    @Override
    public <T> T settings(Class<T> type) {
        return type.cast(boundSettings.computeIfAbsent(type, this::bind));
    }

    /** Made at the first binding; the server's own, so that the plugin's classes go with the server. */
    private volatile com.fasterxml.jackson.databind.ObjectMapper pluginTypes;

    private com.fasterxml.jackson.databind.ObjectMapper pluginTypes() {
        com.fasterxml.jackson.databind.ObjectMapper m = pluginTypes;
        if (m == null) {
            m = StrictJson.forPluginTypes();
            pluginTypes = m;
        }
        return m;
    }

    private Object bind(Class<?> type) {
        try {
            return pluginTypes().treeToValue(settings, type);
        } catch (JsonProcessingException e) {
            String path = StrictJson.pathOf(e);
            throw new SockethostException("server " + name + ": settings" + (path.isEmpty() ? "" : "." + path) + ": "
                    + StrictJson.describe(e), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
