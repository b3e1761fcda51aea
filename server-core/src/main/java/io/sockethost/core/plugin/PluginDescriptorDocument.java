package io.sockethost.core.plugin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plugin's {@code sockethost-plugin.json} as written: who the plugin is, which host versions it runs on,
 * and the servers it declares (validated later, together with the operator's overrides).
 *
 * @param id unique plugin id, e.g. {@code echo}
 * @param version the plugin's own version (semantic versioning)
 * @param requires the host versions it runs on, as a PF4J/semver expression such as {@code >=1.0.0 & <2.0.0}
 * @param description one line for {@code sockethost plugins}
 * @param provider who makes it
 * @param license its license
 * @param servers the array of server declarations
 */
public record PluginDescriptorDocument(
        String id,
        String version,
        String requires,
        String description,
        String provider,
        String license,
        JsonNode servers) {

    /** Where the descriptor lives inside a plugin jar. */
    public static final String RESOURCE = "sockethost-plugin.json";
}
