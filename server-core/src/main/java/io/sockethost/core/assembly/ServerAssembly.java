package io.sockethost.core.assembly;

import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.Transport;
import io.sockethost.core.concurrency.InlineDispatcher;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.concurrency.ThreadPerRequestDispatcher;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.forking.ForkingDispatcher;
import io.sockethost.core.server.DatagramServer;
import io.sockethost.core.server.SocketServer;
import io.sockethost.core.server.StreamServer;

/**
 * The one place servers are built: an effective configuration plus what its plugin supplies
 * ({@link PluginParts}) become a {@link SocketServer} with the concurrency the configuration names. The
 * host, the forking workers and the test kit all build their servers here. Stateless.
 */
public final class ServerAssembly {

    private ServerAssembly() {
    }

    /**
     * A server as the host runs it; not bound yet ({@link SocketServer#open()} binds it and starts the
     * plugin's lifecycle).
     *
     * @throws IllegalArgumentException if the configuration asks for forking and {@code parts} has no jar
     */
    public static SocketServer assemble(ServerConfig config, PluginParts parts) {
        RequestDispatcher dispatcher = switch (config.concurrency().mode()) {
            case SYNC -> new InlineDispatcher();
            // A full stream server turns connections away at once; datagrams wait in the socket's buffer, which
            // is what a datagram client expects of a busy server.
            case THREADING -> new ThreadPerRequestDispatcher(config.name(), config.concurrency(), config.transport().isStream());
            case FORKING -> {
                if (parts.pluginJar() == null) {
                    throw new IllegalArgumentException("server " + config.name() + ": forking needs the plugin's jar, "
                            + "which every worker process loads");
                }
                yield new ForkingDispatcher(config, parts.pluginJar());
            }
        };
        // Under forking the handlers, and so the plugin's lifecycle, live in the workers.
        boolean forking = dispatcher instanceof ForkingDispatcher;
        return build(config, parts, dispatcher, forking ? null : parts.lifecycle());
    }

    /**
     * The server of a forking worker process: it never binds (start it with
     * {@link SocketServer#startUnbound}) and serves, one at a time, the connections the host passes on
     * ({@link StreamServer#serveConnection}) or the datagrams ({@link DatagramServer#serveReceived}); the host
     * has already applied the verify rules and limits.
     */
    public static SocketServer assembleForWorker(ServerConfig config, PluginParts parts) {
        return build(config, parts, new InlineDispatcher(), parts.lifecycle());
    }

    private static SocketServer build(ServerConfig config, PluginParts parts, RequestDispatcher dispatcher,
                                      ServerLifecycle<?> lifecycle) {
        if (config.transport().isStream()) {
            return new StreamServer(config, parts.streamHandlers(), parts.hooks(), dispatcher, lifecycle);
        }
        return new DatagramServer(config, parts.datagramHandlers(), parts.hooks(), dispatcher,
                config.transport() == Transport.UNIX_DATAGRAM ? DatagramServer.UNIX : DatagramServer.UDP, lifecycle);
    }
}
