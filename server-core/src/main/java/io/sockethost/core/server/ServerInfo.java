package io.sockethost.core.server;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.api.ServerContext;
import io.sockethost.api.SockethostException;
import io.sockethost.api.Transport;
import io.sockethost.core.config.StrictJson;

/**
 * The {@link ServerContext} handlers see. Settings are bound once per requested type and cached, so a
 * handler may call {@link #settings} on every request cheaply. Thread-safe.
 */
final class ServerInfo implements ServerContext {
    private final String name;
    private final String pluginId;
    private final Transport transport;
    private final JsonNode settings;
    private final Map<Class<?>, Object> boundSettings = new ConcurrentHashMap<>();
    private final java.nio.file.Path home;
    private volatile SocketAddress boundAddress;

    ServerInfo(String name, String pluginId, Transport transport, SocketAddress configured, JsonNode settings,
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

    private Object bind(Class<?> type) {
        try {
            return StrictJson.MAPPER.treeToValue(settings, type);
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
