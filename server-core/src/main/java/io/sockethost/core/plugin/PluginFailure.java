package io.sockethost.core.plugin;

import java.nio.file.Path;

/**
 * A plugin jar that was skipped.
 *
 * @param path the jar
 * @param reason why, in words an operator can act on
 */
public record PluginFailure(Path path, String reason) {
}
