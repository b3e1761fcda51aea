package io.sockethost.core.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin jar that was skipped.
 *
 * @param path the jar
 * @param reason why, in words an operator can act on
 * @param pluginId the id its descriptor gives, or {@code null} when the descriptor cannot be read
 * @param servers the names of the servers its descriptor declares (empty when it cannot be read)
 */
public record PluginFailure(Path path, String reason, String pluginId, List<String> servers) {
    public PluginFailure {
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    /** A jar whose descriptor could not be read. */
    public PluginFailure(Path path, String reason) {
        this(path, reason, null, List.of());
    }
}
