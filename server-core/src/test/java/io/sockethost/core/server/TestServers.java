package io.sockethost.core.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.config.StrictJson;

/** Servers for tests: configured from descriptor JSON through the real resolver, serving on a thread of their own. */
final class TestServers {
    static final ServerHooks NO_HOOKS = new ServerHooks() { };

    private TestServers() {
    }

    /** @param json one server declaration; {@code handler} is filled in */
    static ServerConfig config(String json, Path baseDir) throws Exception {
        JsonNode node = StrictJson.MAPPER.readTree(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("handler", "test.Handler");
        if (!node.has("name")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("name", "test-server");
        }
        ServerConfigResolver resolver = new ServerConfigResolver(baseDir, Set.of("test"), ServerConfigResolver.PluginCheck.NONE);
        return resolver.resolve(List.of(new PluginServers("test", "test.json",
                StrictJson.MAPPER.createArrayNode().add(node))), List.of()).get(0);
    }

    /** The dispatcher the assembly would give a server with this concurrency (forking excepted). */
    static io.sockethost.core.concurrency.RequestDispatcher dispatcher(String name, io.sockethost.core.config.ConcurrencyConfig c) {
        return switch (c.mode()) {
            case SYNC -> new io.sockethost.core.concurrency.InlineDispatcher();
            case THREADING -> new io.sockethost.core.concurrency.ThreadPerRequestDispatcher(name, c, false);
            case FORKING -> throw new IllegalArgumentException("forking is tested through the assembly");
        };
    }

    static ServerConfig config(String json) throws Exception {
        return config(json, Path.of(System.getProperty("java.io.tmpdir")));
    }

    static Running stream(ServerConfig config, Supplier<? extends StreamHandler> handlers, ServerHooks hooks) throws Exception {
        return new Running(new StreamServer(config, handlers, hooks, dispatcher(config.name(), config.concurrency())));
    }

    static Running stream(ServerConfig config, Supplier<? extends StreamHandler> handlers) throws Exception {
        return stream(config, handlers, NO_HOOKS);
    }

    static Running datagram(ServerConfig config, Supplier<? extends DatagramHandler> handlers, ServerHooks hooks,
                            DatagramServer.DatagramChannelFactory channels) throws Exception {
        return new Running(new DatagramServer(config, handlers, hooks,
                dispatcher(config.name(), config.concurrency()), channels));
    }

    /** A server opened and serving forever on its own thread; {@link #close()} stops and joins it. */
    static final class Running implements AutoCloseable {
        final SocketServer server;
        final Thread loop;

        Running(SocketServer server) throws Exception {
            this.server = server;
            server.open();
            this.loop = new Thread(server::serveForever, server.config().name() + "-test-loop");
            loop.start();
        }

        java.net.InetSocketAddress inet() {
            return (java.net.InetSocketAddress) server.boundAddress();
        }

        @Override
        public void close() throws InterruptedException {
            server.close(Duration.ofSeconds(5));
            loop.join(5_000);
            if (loop.isAlive()) {
                throw new AssertionError("serve loop still running after close");
            }
        }
    }
}
