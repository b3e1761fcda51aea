package io.sockethost.core.events;

import io.sockethost.core.config.ServerConfig;

/**
 * Gives each server the {@link ServerEvents} it reports to; the host asks once per server it starts (again
 * for a server it restarts), before the server opens. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ServerObserver {
    /** Observes nothing. */
    ServerObserver NONE = config -> ServerEvents.NONE;

    /** @return where {@code config}'s server reports; never null */
    ServerEvents eventsFor(ServerConfig config);
}
