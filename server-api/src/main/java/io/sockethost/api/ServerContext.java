package io.sockethost.api;

import java.net.SocketAddress;

/**
 * What a handler knows about the server that accepted its request: Python's {@code self.server}.
 *
 * <p>One instance per running server, shared by all its requests; implementations are immutable and
 * thread-safe. Handlers must not close or reconfigure the server through it.
 */
public interface ServerContext {

    /** {@return the server's name, unique in the host, as declared in the descriptor} */
    String name();

    /** {@return the id of the plugin that declared the server} */
    String pluginId();

    /** {@return the transport the server listens on} */
    Transport transport();

    /**
     * {@return the address the server is bound to: an {@link java.net.InetSocketAddress} with the real port
     *     (also when the descriptor asked for port 0) for {@code tcp}/{@code udp}, a Unix socket address
     *     for the Unix transports}
     */
    SocketAddress boundAddress();

    /**
     * {@return the host's installation folder} Resolve relative file paths from settings against it, so
     * that they mean the same whatever the host's working directory.
     */
    java.nio.file.Path home();

    /**
     * Binds the server's free-form {@code settings} object from the descriptor (after operator overrides)
     * to a type of the plugin's own, typically a record. Fields missing from the descriptor keep Java's
     * defaults (or the record's own, if it supplies a compact constructor); unknown fields are an error.
     * The result may be cached by the host, so treat it as immutable.
     *
     * @param type a record or a class with a no-argument constructor and setters, from the plugin
     * @param <T> the settings type
     * @return the bound settings, never {@code null} (an absent {@code settings} binds as {@code {}})
     * @throws SockethostException if the settings do not match the type; the message names the server,
     *     the field and the problem
     */
    <T> T settings(Class<T> type);

    /**
     * {@return the state the server's {@link ServerLifecycle} made in {@code start}} Handlers call it on
     * each request; it is cheap.
     *
     * @param type the state's type, as the lifecycle declares it
     * @param <S> the state type
     * @throws SockethostException if the server has no lifecycle, has not started it (during
     *     {@link ServerLifecycle#validate}), or its state is not of {@code type}
     * @since 1.1
     */
    default <S> S state(Class<S> type) {
        throw new SockethostException("server " + name() + " has no lifecycle state");
    }
}
