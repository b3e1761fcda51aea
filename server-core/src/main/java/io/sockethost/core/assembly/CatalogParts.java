package io.sockethost.core.assembly;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.DeclaresSettings;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.SockethostException;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver.PluginCheck;
import io.sockethost.core.plugin.PluginCatalog;

/**
 * Connects servers to the plugins loaded in a {@link PluginCatalog}: checks, when the configuration is
 * resolved, that the classes a server names fit and that its settings bind and validate
 * ({@link #check()}); then supplies the handler factory, hooks and lifecycle to build it with
 * ({@link #partsFor}). Not thread-safe; used by the thread that loads and starts the host.
 */
public final class CatalogParts {
    private final PluginCatalog catalog;

    public CatalogParts(PluginCatalog catalog) {
        this.catalog = catalog;
    }

    /** @return the check the configuration resolver runs on every server */
    public PluginCheck check() {
        return this::check;
    }

    /** @return what the server's plugin supplies to build it; the server must have passed {@link #check()} */
    public PluginParts partsFor(ServerConfig config) {
        Constructor<?> handler = catalog.extensionConstructor(config.pluginId(), config.handlerClass(), handlerType(config));
        ServerHooks hooks = config.hooksClass() == null ? PluginParts.NO_HOOKS
                : instantiate(config, catalog.extensionConstructor(config.pluginId(), config.hooksClass(), ServerHooks.class));
        ServerLifecycle<?> lifecycle = config.lifecycleClass() == null ? null
                : instantiate(config, catalog.extensionConstructor(config.pluginId(), config.lifecycleClass(),
                        ServerLifecycle.class));
        return new PluginParts(() -> instantiate(config, handler), hooks, lifecycle, pluginJar(config.pluginId()));
    }

    private void check(ServerConfig config, PluginCheck.Problems problems) {
        Class<?> handlerType = handlerType(config);
        Constructor<?> handler = constructor(config, "handler", config.handlerClass(), handlerType, problems);
        if (config.hooksClass() != null) {
            constructor(config, "hooks", config.hooksClass(), ServerHooks.class, problems);
        }
        ServerLifecycle<?> lifecycle = null;
        if (config.lifecycleClass() != null) {
            Constructor<?> ctor = constructor(config, "lifecycle", config.lifecycleClass(), ServerLifecycle.class, problems);
            lifecycle = ctor == null ? null : (ServerLifecycle<?>) create(config, "lifecycle", ctor, problems);
        }
        Object handlerInstance = handler != null && DeclaresSettings.class.isAssignableFrom(handler.getDeclaringClass())
                ? create(config, "handler", handler, problems) : null;
        SettingsCheck.check(config, lifecycle, handlerInstance, problems);
    }

    private static Class<?> handlerType(ServerConfig config) {
        return config.transport().isStream() ? StreamHandler.class : DatagramHandler.class;
    }

    private Constructor<?> constructor(ServerConfig config, String field, String className, Class<?> type,
                                       PluginCheck.Problems problems) {
        try {
            return catalog.extensionConstructor(config.pluginId(), className, type);
        } catch (IllegalArgumentException e) {
            boolean wrongKind = field.equals("handler") && e.getMessage().contains("does not implement");
            problems.error(field, e.getMessage() + (wrongKind ? " (transport " + config.transport() + " needs a "
                    + type.getSimpleName() + ")" : ""));
            return null;
        }
    }

    private static Object create(ServerConfig config, String field, Constructor<?> ctor, PluginCheck.Problems problems) {
        try {
            return instantiate(config, ctor);
        } catch (SockethostException e) {
            problems.error(field, e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause()));
            return null;
        }
    }

    private Path pluginJar(String pluginId) {
        // a zip's unpacked folder, not the zip: forking workers load what the host's class loader reads
        return catalog.codePath(pluginId);
    }

    @SuppressWarnings("unchecked")
    private static <T> T instantiate(ServerConfig config, Constructor<?> ctor) {
        try {
            return (T) ctor.newInstance();
        } catch (InvocationTargetException e) {
            throw new SockethostException("server " + config.name() + ": constructor of " + ctor.getDeclaringClass().getName()
                    + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new SockethostException("server " + config.name() + ": cannot create " + ctor.getDeclaringClass().getName(), e);
        }
    }
}
