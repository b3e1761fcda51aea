package io.sockethost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.events.ServerObserver;
import io.sockethost.core.host.Host;
import io.sockethost.core.host.HostLayout;
import io.sockethost.core.server.SocketServer;

/**
 * A real sockethost running in the test's JVM: plugin jars copied into a temporary {@code plugins/}
 * folder, every declared server moved to an ephemeral loopback port (or a socket file in the temporary
 * folder), optional operator overrides applied on top. {@link #close()} stops every server and deletes the
 * folder. Not thread-safe; one per test.
 *
 * <pre>{@code
 * try (PluginHost host = PluginHost.builder().plugin(jar).start()) {
 *     InetSocketAddress echo = host.inetAddress("echo-tcp");
 * }
 * }</pre>
 */
public final class PluginHost implements AutoCloseable {
    private final Path home;
    private final Host host;

    private PluginHost(Path home, Host host) {
        this.home = home;
        this.host = host;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return the bound address of a started server */
    public SocketAddress address(String serverName) {
        return server(serverName).boundAddress();
    }

    /** @return the bound address of a started tcp or udp server */
    public InetSocketAddress inetAddress(String serverName) {
        return (InetSocketAddress) address(serverName);
    }

    public SocketServer server(String serverName) {
        return host.servers().stream().filter(s -> s.config().name().equals(serverName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no started server named " + serverName + "; started: "
                        + host.servers().stream().map(s -> s.config().name()).toList()));
    }

    public Host host() {
        return host;
    }

    /** @return the temporary installation folder (plugins/, conf/, run/) */
    public Path home() {
        return home;
    }

    @Override
    public void close() {
        try {
            host.stop();
        } finally {
            deleteTree(home);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects jars and overrides, then {@link #start()}s the host. */
    public static final class Builder {
        private final List<Path> jars = new ArrayList<>();
        private final List<String> overrides = new ArrayList<>();
        private final java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        private boolean ephemeral = true;
        private ServerObserver observer = ServerObserver.NONE;

        private Builder() {
        }

        /** Adds a plugin jar (copied, never moved). */
        public Builder plugin(Path jar) {
            jars.add(jar);
            return this;
        }

        /**
         * Adds an operator override file in the format of {@code conf/sockethost.json}. Addresses it sets
         * keep their host but still get an ephemeral port unless {@link #declaredAddresses()} is called.
         */
        public Builder override(String json) {
            overrides.add(json);
            return this;
        }

        /**
         * Writes a file into the temporary home before the host loads, for what a plugin's settings name
         * and the host checks at start (a document root, a users file).
         *
         * @param relativePath a path under the home, e.g. {@code www/index.html}; folders are created
         */
        public Builder file(String relativePath, byte[] content) {
            files.put(relativePath, content.clone());
            return this;
        }

        /** Keeps the addresses the descriptors declare instead of ephemeral ones. */
        public Builder declaredAddresses() {
            ephemeral = false;
            return this;
        }

        /**
         * Makes every server report what it serves and refuses to {@code observer}, as the host's metrics
         * do: for a test that asserts what an operator's metrics would count.
         */
        public Builder observe(ServerObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * Creates the temporary home, loads the plugins and configuration, and binds every enabled server.
         *
         * @throws ConfigException if the configuration is invalid, with every problem
         */
        public PluginHost start() throws IOException, ConfigException {
            Path home = Files.createTempDirectory("sockethost-test");
            try {
                Path plugins = Files.createDirectories(home.resolve("plugins"));
                Path conf = Files.createDirectories(home.resolve("conf"));
                Files.createDirectories(home.resolve("run"));
                for (Path jar : jars) {
                    Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                if (!overrides.isEmpty()) {
                    Path servers = Files.createDirectories(conf.resolve("servers"));
                    for (int i = 0; i < overrides.size(); i++) {
                        Files.writeString(servers.resolve(String.format("%03d-test.json", i)), overrides.get(i));
                    }
                }
                for (java.util.Map.Entry<String, byte[]> file : files.entrySet()) {
                    Path target = home.resolve(file.getKey()).normalize();
                    if (!target.startsWith(home)) {
                        throw new IllegalArgumentException("file " + file.getKey() + " is outside the host's home");
                    }
                    Files.createDirectories(target.getParent());
                    Files.write(target, file.getValue());
                }
                Path run = home.resolve("run");
                Host host = Host.load(HostLayout.of(home), ephemeral ? config -> ephemeral(config, run) : UnaryOperator.identity());
                host.observe(observer);
                try {
                    host.start();
                } catch (IOException | RuntimeException e) {
                    host.stop();
                    throw e;
                }
                return new PluginHost(home, host);
            } catch (IOException | ConfigException | RuntimeException e) {
                deleteTree(home);
                throw e;
            }
        }

        /** Same host, port 0; Unix sockets in the temporary run folder. */
        private static ServerConfig ephemeral(ServerConfig config, Path run) {
            if (config.transport().isUnix()) {
                return config.withAddress(UnixDomainSocketAddress.of(run.resolve(config.name() + ".sock")));
            }
            InetSocketAddress declared = (InetSocketAddress) config.address();
            return config.withAddress(new InetSocketAddress(declared.getAddress(), 0));
        }
    }
}
