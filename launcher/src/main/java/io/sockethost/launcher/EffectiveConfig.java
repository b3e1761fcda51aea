package io.sockethost.launcher;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.Cidr;
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.HostSettings;
import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.StrictJson;

/**
 * Writes the effective configuration in the format of {@code conf/sockethost.json}, every field spelled
 * out, so that the output fed back as the only override file gives the same servers.
 *
 * <p>An override is an RFC 7386 merge patch onto the plugin's declaration, so a field the declaration has
 * but the effective server lacks (an override removed it with {@code null}) is written as {@code null}.
 * Servers that an override added (not declared by any plugin) carry {@code "plugin"}, which adds them
 * again. "None" for a timeout is written as {@code 0}, which the resolver reads as none. Unix socket paths
 * under the home folder are written relative to it, so the output moves with the installation.
 */
final class EffectiveConfig {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EffectiveConfig() {
    }

    /**
     * @param home the installation folder, for relative socket paths
     * @param declared the servers the loaded plugins declare, as written
     */
    static ObjectNode render(HostSettings settings, List<ServerConfig> servers, List<PluginServers> declared, Path home) {
        Map<String, JsonNode> declarations = declarationsByName(declared);
        ObjectNode root = NODES.objectNode();
        root.putObject("host").set("shutdownTimeout", seconds(settings.shutdownTimeout()));
        ObjectNode out = root.putObject("servers");
        for (ServerConfig server : servers) {
            ObjectNode effective = server(server, home);
            JsonNode declaration = declarations.get(server.name());
            if (declaration == null) {
                ObjectNode added = NODES.objectNode().put("plugin", server.pluginId());
                added.setAll((ObjectNode) fullPatch(NODES.objectNode(), effective));
                out.set(server.name(), added);
            } else {
                out.set(server.name(), fullPatch(declaration, effective));
            }
        }
        return root;
    }

    /** Two-space indentation and {@code "field": value}, as an operator would write the file. */
    static String toJson(JsonNode root) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return StrictJson.MAPPER.writer(printer).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static Map<String, JsonNode> declarationsByName(List<PluginServers> declared) {
        Map<String, JsonNode> result = new HashMap<>();
        for (PluginServers plugin : declared) {
            if (plugin.servers() != null && plugin.servers().isArray()) {
                for (JsonNode server : plugin.servers()) {
                    result.put(server.path("name").asText(), server);
                }
            }
        }
        return result;
    }

    /** Every field of a server block (in {@link io.sockethost.core.config.ServerDeclaration} order) except its name. */
    static ObjectNode server(ServerConfig c, Path home) {
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
        if (c.hooksClass() != null) {
            n.put("hooks", c.hooksClass());
        }
        n.set("settings", c.settings() == null ? NODES.objectNode() : c.settings().deepCopy());
        return n;
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
    private static JsonNode seconds(Duration duration) {
        if (duration == null) {
            return NODES.numberNode(0);
        }
        if (duration.toNanos() % 1_000_000_000L == 0) {
            return NODES.numberNode(duration.toSeconds());
        }
        return NODES.numberNode(duration.toNanos() / 1e9);
    }

    /**
     * The merge patch that turns {@code base} into {@code target} while spelling out every field of the
     * target: the target itself, plus {@code null} for each field only the base has. A {@code null} in the
     * target is kept only where the base has the field too (a patch cannot add a null; it would delete).
     */
    static JsonNode fullPatch(JsonNode base, JsonNode target) {
        if (!target.isObject()) {
            return target.deepCopy();
        }
        // A patch object applied to a non-object replaces it, starting from an empty object (RFC 7386).
        JsonNode from = base != null && base.isObject() ? base : NODES.objectNode();
        ObjectNode patch = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : target.properties()) {
            JsonNode inBase = from.get(field.getKey());
            if (inBase == null && field.getValue().isNull()) {
                continue;
            }
            patch.set(field.getKey(), fullPatch(inBase, field.getValue()));
        }
        Iterator<String> names = from.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!target.has(name) && !name.equals("name")) {
                patch.putNull(name);
            }
        }
        return patch;
    }
}
