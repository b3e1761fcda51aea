package io.sockethost.core.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code servers} array of one loaded plugin's descriptor, as written.
 *
 * @param pluginId the plugin's id
 * @param file how to name the descriptor in messages, e.g. {@code plugins/echo.jar!/sockethost-plugin.json}
 * @param servers the array (or a missing node when the plugin declares no servers)
 */
public record PluginServers(String pluginId, String file, JsonNode servers) {
}
