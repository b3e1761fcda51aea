package io.sockethost.launcher;

import java.nio.file.Path;
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
import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.HostSettings;
import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfigJson;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerDefaults;
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
        return render(settings, servers, declared, home, false);
    }

    /**
     * @param portable whether fields whose defaults depend on the Java the host runs on (virtual threads on
     *     21+, and the caps sized for them: {@code maxWorkers}, {@code verify.maxConnectionsPerClient}) are
     *     written as {@code null} (their default, wherever the file is used) while they are at their
     *     default and the plugin's declaration does not set them. The distribution's
     *     {@code conf/sockethost.json} is written this way, on the build's Java, for every Java it may run on.
     */
    static ObjectNode render(HostSettings settings, List<ServerConfig> servers, List<PluginServers> declared, Path home,
            boolean portable) {
        Map<String, JsonNode> declarations = declarationsByName(declared);
        ObjectNode root = NODES.objectNode();
        ObjectNode host = root.putObject("host");
        host.set("shutdownTimeout", ServerConfigJson.seconds(settings.shutdownTimeout()));
        host.put("watchPlugins", settings.watchPlugins());
        // null keeps the admin listener off; spelled out so that operators find the field
        host.putObject("admin").put("address", settings.adminAddress() == null ? null
                : Addresses.format(settings.adminAddress()));
        ObjectNode out = root.putObject("servers");
        for (ServerConfig server : servers) {
            ObjectNode effective = ServerConfigJson.write(server, home);
            JsonNode declaration = declarations.get(server.name());
            ObjectNode patch;
            if (declaration == null) {
                patch = NODES.objectNode().put("plugin", server.pluginId());
                patch.setAll((ObjectNode) fullPatch(NODES.objectNode(), effective));
            } else {
                patch = (ObjectNode) fullPatch(declaration, effective);
            }
            if (portable) {
                leaveRuntimeDefaults(patch, server, declaration == null ? NODES.objectNode() : declaration);
            }
            out.set(server.name(), patch);
        }
        return root;
    }

    /**
     * Writes {@code null} for each field whose default depends on the runtime, is at that default, and is not
     * set by the declaration: a file written on Java 17 would otherwise pin platform threads and their caps
     * on Java 21+ too. Each cap is left to its default only if what it is sized for is.
     */
    private static void leaveRuntimeDefaults(ObjectNode patch, ServerConfig server, JsonNode declaration) {
        ConcurrencyConfig c = server.concurrency();
        JsonNode declared = declaration.path("concurrency");
        if (declared.has("virtualThreads") || c.virtualThreads() != ServerDefaults.virtualThreads()) {
            return;
        }
        patch.withObjectProperty("concurrency").putNull("virtualThreads");
        if (declared.has("maxWorkers") || c.maxWorkers() != ServerDefaults.maxWorkers(c.virtualThreads())) {
            return;
        }
        patch.withObjectProperty("concurrency").putNull("maxWorkers");
        if (!declaration.path("verify").has("maxConnectionsPerClient") && server.clientRules().maxConnectionsPerClient()
                == ServerDefaults.maxConnectionsPerClient(c.mode(), c.maxWorkers())) {
            patch.withObjectProperty("verify").putNull("maxConnectionsPerClient");
        }
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
