package io.sockethost.core.plugin;

import java.nio.file.Path;

/**
 * A plugin that loaded and may serve.
 *
 * @param id its id
 * @param version its version
 * @param requires the host versions it accepts
 * @param description its one-line description
 * @param path the jar
 * @param descriptor the parsed descriptor
 */
public record LoadedPlugin(String id, String version, String requires, String description, Path path,
                           SockethostPluginDescriptor descriptor) {
}
