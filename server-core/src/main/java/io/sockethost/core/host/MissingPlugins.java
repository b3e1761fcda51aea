package io.sockethost.core.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sockethost.core.config.ServerConfigResolver.SkippedServer;
import io.sockethost.core.plugin.PluginFailure;

/**
 * The operator's view of what does not start because a plugin is missing or was skipped: one line per
 * plugin, naming the plugin, its jar (if there is one) and its servers, so that a log shows each cause
 * once. Stateless.
 */
final class MissingPlugins {

    private MissingPlugins() {
    }

    /**
     * @param failures the jars the catalog skipped
     * @param skipped the servers the configuration names that no loaded plugin declares
     * @param home paths under it are shown relative to it
     */
    static List<String> describe(List<PluginFailure> failures, List<SkippedServer> skipped, Path home) {
        List<SkippedServer> left = new ArrayList<>(skipped);
        List<String> lines = new ArrayList<>();
        for (PluginFailure failure : failures) {
            List<String> servers = new ArrayList<>(failure.servers());
            left.removeIf(s -> {
                boolean ours = failure.servers().contains(s.name())
                        || failure.pluginId() != null && failure.pluginId().equals(s.pluginId());
                if (ours && !servers.contains(s.name())) {
                    servers.add(s.name());
                }
                return ours;
            });
            String plugin = failure.pluginId() == null ? unnamed(failure.path()) + display(failure.path(), home)
                    : "plugin " + failure.pluginId() + " (" + display(failure.path(), home) + ")";
            lines.add(plugin + " skipped: " + failure.reason() + "; servers not started: "
                    + (servers.isEmpty() ? "none known" : String.join(", ", servers)));
        }
        Map<String, List<SkippedServer>> byPlugin = new LinkedHashMap<>();
        for (SkippedServer s : left) {
            byPlugin.computeIfAbsent(s.pluginId() == null ? "" : s.pluginId(), k -> new ArrayList<>()).add(s);
        }
        byPlugin.forEach((plugin, servers) -> {
            List<String> named = servers.stream()
                    .map(s -> s.name() + " (in " + display(Path.of(s.problem().file()), home) + ")").toList();
            lines.add((plugin.isEmpty() ? "plugin unknown (no loaded plugin declares these servers; was its jar removed?)"
                    : "plugin " + plugin + " (no jar in the plugins folder)") + " not loaded; servers not started: "
                    + String.join(", ", named));
        });
        return lines;
    }

    /** How a skipped file whose descriptor could not be read is named: a jar, a zip, or just its path. */
    private static String unnamed(Path path) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".jar") ? "plugin jar " : name.endsWith(".zip") ? "plugin zip " : "";
    }

    private static String display(Path path, Path home) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(home) ? home.relativize(absolute).toString() : absolute.toString();
    }
}
