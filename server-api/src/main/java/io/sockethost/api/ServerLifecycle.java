package io.sockethost.api;

import org.pf4j.ExtensionPoint;

/**
 * A plugin's per-server life: state made when a server starts and released after it has stopped, handed to
 * the server's handlers through {@link ServerContext#state(Class)} instead of static fields. Named by a
 * server's {@code lifecycle} field in the descriptor; optional.
 *
 * <p>The class is public, has a public no-argument constructor and is annotated
 * {@code @org.pf4j.Extension}. The host makes one instance per server and calls it in this order, each call
 * from one thread, never two at once:
 * <ol>
 *   <li>{@link #settingsType()} and {@link #validate}: when the configuration is checked
 *       ({@code sockethost check}, and {@code run} before any server binds). The host binds the server's
 *       {@code settings} to {@code settingsType()} first; a type mismatch, an unknown field or a problem
 *       reported by {@code validate} is a configuration problem reported with the file and JSON path, and
 *       the host refuses to start.</li>
 *   <li>{@link #start}: after the server is bound, before it accepts its first request. If it throws, the
 *       server does not start; the host reports it with the server's name (at start-up the host stops, as
 *       for an address that cannot be bound).</li>
 *   <li>{@link #stop}: after the server has stopped accepting and its running requests have ended (or were
 *       closed at the shutdown deadline); also when the server fails to start after {@code start} returned.
 *       An exception is logged and otherwise ignored.</li>
 * </ol>
 * With {@code forking} concurrency the handlers run in worker processes: each worker calls {@code start}
 * once before its first request and {@code stop} before it exits, so the state is per process.
 *
 * <p>The state is shared by every request of the server, on as many threads as the server's concurrency
 * runs: it must be thread-safe.
 *
 * @since 1.1
 * @param <S> the type of the state; {@code Void} (and {@code start} returning {@code null}) for a lifecycle
 *     that only declares and validates settings
 */
public interface ServerLifecycle<S> extends ExtensionPoint, DeclaresSettings {

    /**
     * {@return the type the server's settings bind to; {@code null} (the default) when this lifecycle does
     *     not declare one, and then the handler may}
     */
    @Override
    default Class<?> settingsType() {
        return null;
    }

    /**
     * Checks the server's settings beyond what their type says: files and folders that must exist, values
     * that depend on each other. Called before the server binds, so {@link ServerContext#boundAddress()}
     * is still the configured address and {@link ServerContext#state(Class)} is not available. Does
     * nothing by default.
     *
     * @param server the server; {@code server.settings(settingsType())} gives the bound settings
     * @param problems where to report what is wrong
     */
    default void validate(ServerContext server, SettingsProblems problems) {
    }

    /**
     * Makes the server's state, once it is bound and before it accepts.
     *
     * @param server the server, bound
     * @return the state handlers get from {@link ServerContext#state(Class)}; may be {@code null}
     * @throws Exception if the server cannot serve; it is not started
     */
    S start(ServerContext server) throws Exception;

    /**
     * {@return what a client receives before its connection is closed when the server turns it away for
     *     want of room (every worker busy, or its address holding the most connections allowed); {@code null}
     *     (the default) closes it with nothing} Asked once, when the server starts. Keep it to a few hundred
     * bytes: it is written without waiting, e.g. an HTTP server's {@code 503} response.
     *
     * @param server the server, started
     * @since 1.1
     */
    default byte[] busyReply(ServerContext server) {
        return null;
    }

    /**
     * Releases the state once the server has stopped and no request of it runs any more. Does nothing by
     * default.
     *
     * @param server the server
     * @param state what {@link #start} returned
     * @throws Exception on any failure; it is logged
     */
    default void stop(ServerContext server, S state) throws Exception {
    }
}
