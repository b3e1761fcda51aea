package io.sockethost.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.assembly.PluginParts;
import io.sockethost.core.assembly.ServerAssembly;
import io.sockethost.core.assembly.SettingsCheck;
import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.config.StrictJson;
import io.sockethost.core.server.SocketServer;

/**
 * One handler class served in-process without a plugin jar: for unit tests of a handler. The server block
 * is written exactly as in a descriptor (transport, concurrency, settings...), validated by the host's own
 * rules; the address defaults to an ephemeral loopback port (or a socket file in a temporary folder for Unix
 * transports). {@link #close()} stops the server and deletes the folder.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.stream(MyHandler::new)
 *         .declaration("{\"concurrency\": {\"mode\": \"sync\"}, \"settings\": {\"greeting\": \"hi\"}}").start();
 *      StreamClient client = StreamClient.connect(server.address())) {
 *     client.send("ping\n");
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    private final SocketServer server;
    private final Thread loop;
    private final Path folder;

    private TestServer(SocketServer server, Path folder) {
        this.server = server;
        this.folder = folder;
        this.loop = new Thread(server::serveForever, server.config().name() + "-test");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /** Serves connections with new instances from {@code handlers}, over tcp unless the declaration says otherwise. */
    public static Builder stream(Supplier<? extends StreamHandler> handlers) {
        return new Builder(handlers, null);
    }

    /** Serves datagrams with new instances from {@code handlers}, over udp unless the declaration says otherwise. */
    public static Builder datagram(Supplier<? extends DatagramHandler> handlers) {
        return new Builder(null, handlers);
    }

    /** @return where clients connect */
    public SocketAddress address() {
        return server.boundAddress();
    }

    /** @return where clients connect, for tcp and udp */
    public InetSocketAddress inetAddress() {
        return (InetSocketAddress) server.boundAddress();
    }

    /** @return the requests the server runs now (connections being served, datagrams being handled) */
    public int activeRequests() {
        return server.activeRequests();
    }

    /** @return what handlers see as {@code request.server()} */
    public ServerContext context() {
        return server.context();
    }

    /**
     * Stops the server (draining up to 5 seconds), waits for its loop and deletes the folder. Interrupted
     * meanwhile, it still deletes the folder and returns with the thread's interrupt flag set.
     */
    @Override
    public void close() {
        try {
            server.close(Duration.ofSeconds(5));
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            PluginHost.deleteTree(folder);
        }
    }

    /** Describes the server, then {@link #start()}s it. */
    public static final class Builder {
        private final Supplier<? extends StreamHandler> streamHandlers;
        private final Supplier<? extends DatagramHandler> datagramHandlers;
        private String declaration = "{}";
        private ServerHooks hooks = new ServerHooks() { };
        private ServerLifecycle<?> lifecycle;

        private Builder(Supplier<? extends StreamHandler> stream, Supplier<? extends DatagramHandler> datagram) {
            this.streamHandlers = stream;
            this.datagramHandlers = datagram;
        }

        /** A server block as in {@code sockethost-plugin.json}; {@code name}, {@code handler} and {@code address} may be left out. */
        public Builder declaration(String json) {
            this.declaration = json;
            return this;
        }

        /** Hooks for the server, as a descriptor's {@code hooks} class would supply. */
        public Builder hooks(ServerHooks serverHooks) {
            this.hooks = serverHooks;
            return this;
        }

        /**
         * The server's lifecycle, as a descriptor's {@code lifecycle} class would supply: started once the
         * server is bound, stopped after {@link TestServer#close()} has drained it; its settings type and
         * {@code validate} are checked by {@link #start()} as the host checks them.
         */
        public Builder lifecycle(ServerLifecycle<?> serverLifecycle) {
            this.lifecycle = serverLifecycle;
            return this;
        }

        /**
         * @throws ConfigException if the declaration is invalid (the message names the field)
         * @throws IOException if the server cannot bind
         */
        public TestServer start() throws IOException, ConfigException {
            Path folder = Files.createTempDirectory("sockethost-testserver");
            try {
                ServerConfig config = config(folder);
                Supplier<?> handlers = config.transport().isStream() ? streamHandlers : datagramHandlers;
                SocketServer server = ServerAssembly.assemble(config, PluginParts.of(handlers, hooks, lifecycle));
                server.open();
                return new TestServer(server, folder);
            } catch (IOException | ConfigException | RuntimeException e) {
                PluginHost.deleteTree(folder);
                throw e;
            }
        }

        private ServerConfig config(Path folder) throws IOException, ConfigException {
            ObjectNode node = (ObjectNode) StrictJson.MAPPER.readTree(declaration);
            if (!node.has("name")) {
                node.put("name", "test-server");
            }
            node.put("handler", "test.Handler");
            if (!node.has("transport")) {
                node.put("transport", streamHandlers != null ? "tcp" : "udp");
            }
            if (!node.has("address")) {
                String transport = node.get("transport").asText();
                node.put("address", transport.startsWith("unix") ? folder.resolve("server.sock").toString() : "127.0.0.1:0");
            }
            boolean stream = node.get("transport").asText().endsWith("stream") || node.get("transport").asText().equals("tcp");
            Supplier<?> handlers = stream ? streamHandlers : datagramHandlers;
            if (handlers == null) {
                throw new IllegalArgumentException(node.get("transport").asText() + " needs a "
                        + (stream ? "StreamHandler; use TestServer.stream" : "DatagramHandler; use TestServer.datagram"));
            }
            ServerConfigResolver.PluginCheck check = (server, problems) ->
                    SettingsCheck.check(server, lifecycle, handlers.get(), problems);
            return new ServerConfigResolver(folder, Set.of("test"), check)
                    .resolve(List.of(new PluginServers("test", "test declaration", StrictJson.MAPPER.createArrayNode().add(node))),
                            List.of())
                    .get(0);
        }
    }
}
