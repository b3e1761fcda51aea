package io.sockethost.core.assembly;

import java.nio.file.Path;
import java.util.function.Supplier;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.StreamHandler;

/**
 * What a plugin supplies to one server: its handler factory, hooks and lifecycle, and the jar that a
 * forking server's workers load. Immutable; the handler factory is called on the threads that serve.
 *
 * @param handlers makes a new {@link StreamHandler} or {@link DatagramHandler} per request (as the
 *     server's transport needs); may throw to refuse the request
 * @param hooks the server's hooks; a no-op instance when the descriptor names none
 * @param lifecycle the server's lifecycle, or {@code null}
 * @param pluginJar the plugin's jar, for forking workers; {@code null} where the handler class is not in a
 *     jar (the test kit's in-process servers, which cannot fork)
 */
public record PluginParts(Supplier<?> handlers, ServerHooks hooks, ServerLifecycle<?> lifecycle, Path pluginJar) {
    /** Hooks that do what a server does without them. */
    public static final ServerHooks NO_HOOKS = new ServerHooks() { };

    public PluginParts {
        if (handlers == null) {
            throw new IllegalArgumentException("handlers are required");
        }
        hooks = hooks == null ? NO_HOOKS : hooks;
    }

    /** Parts for handlers made in process, without a plugin jar. */
    public static PluginParts of(Supplier<?> handlers, ServerHooks hooks, ServerLifecycle<?> lifecycle) {
        return new PluginParts(handlers, hooks, lifecycle, null);
    }

    @SuppressWarnings("unchecked")
    Supplier<? extends StreamHandler> streamHandlers() {
        return (Supplier<? extends StreamHandler>) handlers;
    }

    @SuppressWarnings("unchecked")
    Supplier<? extends DatagramHandler> datagramHandlers() {
        return (Supplier<? extends DatagramHandler>) handlers;
    }
}
