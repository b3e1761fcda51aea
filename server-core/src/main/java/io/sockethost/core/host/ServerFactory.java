package io.sockethost.core.host;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.SockethostException;
import io.sockethost.api.StreamHandler;
import io.sockethost.api.Transport;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.config.ConcurrencyMode;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.forking.ForkingServers;
import io.sockethost.core.plugin.PluginCatalog;
import io.sockethost.core.server.DatagramServer;
import io.sockethost.core.server.SocketServer;
import io.sockethost.core.server.StreamServer;

/**
 * Builds servers from validated configurations and the plugins that supply their handlers. Public for the
 * forking workers, which build their server with it exactly as the host does. Owns the worker processes of
 * the forking servers it builds until {@link #close}. Not thread-safe.
 */
public final class ServerFactory implements AutoCloseable {
    static final ServerHooks NO_HOOKS = new ServerHooks() { };

    private final PluginCatalog catalog;
    private final ForkingServers forking = new ForkingServers();

    public ServerFactory(PluginCatalog catalog) {
        this.catalog = catalog;
    }

    /** The check the configuration resolver runs on every handler and hooks class. */
    ServerConfigResolver.ClassCheck classCheck() {
        return (pluginId, className, transport, hooks) -> {
            Class<?> type = hooks ? ServerHooks.class : transport.isStream() ? StreamHandler.class : DatagramHandler.class;
            try {
                catalog.extensionConstructor(pluginId, className, type);
                return null;
            } catch (IllegalArgumentException e) {
                boolean wrongKind = !hooks && e.getMessage().contains("does not implement");
                return e.getMessage() + (wrongKind ? " (transport " + transport + " needs a " + type.getSimpleName() + ")" : "");
            }
        };
    }

    /** Builds a server; it is not bound yet (see {@link SocketServer#open()} and {@link #opened}). */
    public SocketServer create(ServerConfig config) {
        ServerHooks hooks = config.hooksClass() == null ? NO_HOOKS
                : instantiate(config, catalog.extensionConstructor(config.pluginId(), config.hooksClass(), ServerHooks.class));
        if (config.concurrency().mode() == ConcurrencyMode.FORKING) {
            return forking.create(config, hooks, pluginJar(config.pluginId()));
        }
        RequestDispatcher dispatcher = RequestDispatcher.create(config.name(), config.concurrency());
        if (config.transport().isStream()) {
            Constructor<? extends StreamHandler> ctor =
                    catalog.extensionConstructor(config.pluginId(), config.handlerClass(), StreamHandler.class);
            return new StreamServer(config, perRequest(config, ctor), hooks, dispatcher);
        }
        Constructor<? extends DatagramHandler> ctor =
                catalog.extensionConstructor(config.pluginId(), config.handlerClass(), DatagramHandler.class);
        return new DatagramServer(config, perRequest(config, ctor), hooks, dispatcher, datagramChannels(config.transport()));
    }

    /** Starts what a server needs once it is bound: the worker processes of a forking server. */
    void opened(SocketServer server) throws IOException {
        forking.opened(server);
    }

    /** Stops the worker processes of every forking server built here; call after closing the servers. */
    @Override
    public void close() {
        forking.close();
    }

    private Path pluginJar(String pluginId) {
        return catalog.plugins().stream().filter(p -> p.id().equals(pluginId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("plugin \"" + pluginId + "\" is not loaded"))
                .path();
    }

    private static DatagramServer.DatagramChannelFactory datagramChannels(Transport transport) {
        return transport == Transport.UNIX_DATAGRAM ? DatagramServer.UNIX : DatagramServer.UDP;
    }

    private static <T> Supplier<T> perRequest(ServerConfig config, Constructor<? extends T> ctor) {
        return () -> instantiate(config, ctor);
    }

    private static <T> T instantiate(ServerConfig config, Constructor<? extends T> ctor) {
        try {
            return ctor.newInstance();
        } catch (InvocationTargetException e) {
            throw new SockethostException("server " + config.name() + ": constructor of " + ctor.getDeclaringClass().getName()
                    + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new SockethostException("server " + config.name() + ": cannot create " + ctor.getDeclaringClass().getName(), e);
        }
    }
}
