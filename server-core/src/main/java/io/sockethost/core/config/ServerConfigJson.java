package io.sockethost.core.config;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A server's effective configuration in its JSON form: a descriptor server block with every field spelled
 * out, which {@link ServerConfigResolver} reads back into the same {@link ServerConfig}. What
 * {@code sockethost config} prints and what a forking worker receives are this form, so neither keeps a
 * copy of the fields or their defaults. Stateless.
 */
public final class ServerConfigJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ServerConfigJson() {
    }

    /** Every field of a server block (in {@link ServerDeclaration} order) except its name. */
    public static ObjectNode write(ServerConfig c, Path home) {
        ObjectNode n = NODES.objectNode();
        n.put("handler", c.handlerClass());
        n.put("transport", c.transport().descriptorName());
        n.put("address", address(c.address(), home));
        n.put("enabled", c.enabled());
        n.set("concurrency", concurrency(c.concurrency()));
        n.set("timeout", seconds(c.timeout()));
        n.set("readTimeout", seconds(c.readTimeout()));
        n.set("writeTimeout", seconds(c.writeTimeout()));
        n.set("pollInterval", seconds(c.pollInterval()));
        n.put("requestQueueSize", c.requestQueueSize());
        n.put("allowReuseAddress", c.allowReuseAddress());
        n.put("reusePort", c.reusePort());
        n.put("noDelay", c.noDelay());
        n.put("maxPacketSize", c.maxPacketSize());
        n.put("socketMode", c.socketMode());
        ObjectNode verify = n.putObject("verify");
        c.clientRules().allow().stream().map(Cidr::text).forEach(verify.putArray("allow")::add);
        c.clientRules().deny().stream().map(Cidr::text).forEach(verify.putArray("deny")::add);
        verify.put("maxConnectionsPerClient", c.clientRules().maxConnectionsPerClient());
        if (c.proxyProtocol() != null) { // absent is off
            ObjectNode proxy = n.putObject("proxyProtocol");
            c.proxyProtocol().trusted().stream().map(Cidr::text).forEach(proxy.putArray("trusted")::add);
            proxy.set("headerTimeout", seconds(c.proxyProtocol().headerTimeout()));
        }
        if (c.hooksClass() != null) {
            n.put("hooks", c.hooksClass());
        }
        if (c.lifecycleClass() != null) {
            n.put("lifecycle", c.lifecycleClass());
        }
        n.set("settings", c.settings() == null ? NODES.objectNode() : c.settings().deepCopy());
        if (c.tls() != null) {
            n.set("tls", tls(c.tls(), home));
        }
        return n;
    }

    /** Only the fields in use: a {@code null} would mean "remove" to a merge patch, not "none". */
    private static ObjectNode tls(TlsConfig t, Path home) {
        ObjectNode n = NODES.objectNode();
        if (t.usesKeyStore()) {
            n.put("keyStore", path(t.keyStore(), home));
            if (t.keyStorePasswordEnv() != null) {
                n.put("keyStorePasswordEnv", t.keyStorePasswordEnv());
            } else {
                n.put("keyStorePasswordFile", path(t.keyStorePasswordFile(), home));
            }
        } else {
            n.put("certificate", path(t.certificate(), home));
            n.put("privateKey", path(t.privateKey(), home));
        }
        n.set("handshakeTimeout", seconds(t.handshakeTimeout()));
        return n;
    }

    /** A path below the installation folder stays relative, so that the printed configuration moves with it. */
    private static String path(Path path, Path home) {
        return path.startsWith(home) ? home.relativize(path).toString() : path.toString();
    }

    private static ObjectNode concurrency(ConcurrencyConfig c) {
        ObjectNode n = NODES.objectNode();
        n.put("mode", c.mode().descriptorName());
        n.put("maxWorkers", c.maxWorkers());
        n.put("virtualThreads", c.virtualThreads());
        n.put("daemonThreads", c.daemonThreads());
        n.put("blockOnClose", c.blockOnClose());
        n.put("maxChildren", c.maxChildren());
        n.put("requestsPerChild", c.requestsPerChild());
        n.put("warmWorkers", c.warmWorkers());
        n.set("requestTimeout", seconds(c.requestTimeout()));
        c.jvmOptions().forEach(n.putArray("jvmOptions")::add);
        return n;
    }

    private static String address(SocketAddress address, Path home) {
        if (address instanceof UnixDomainSocketAddress unix && unix.getPath().startsWith(home)) {
            return home.relativize(unix.getPath()).toString();
        }
        return Addresses.format(address);
    }

    /** Seconds as the descriptor writes them: a whole number when whole, {@code 0} for none. */
    public static JsonNode seconds(Duration duration) {
        if (duration == null) {
            return NODES.numberNode(0);
        }
        if (duration.toNanos() % 1_000_000_000L == 0) {
            return NODES.numberNode(duration.toSeconds());
        }
        return NODES.numberNode(duration.toNanos() / 1e9);
    }
}
