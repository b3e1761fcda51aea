package io.sockethost.core.plugin;

import org.pf4j.DefaultPluginDescriptor;

import com.fasterxml.jackson.databind.JsonNode;

/** PF4J's view of a plugin, plus the servers its JSON descriptor declares and where that descriptor is. */
public final class SockethostPluginDescriptor extends DefaultPluginDescriptor {
    /** Plugins need no lifecycle class of their own; PF4J's base class does nothing, which is what we want. */
    static final String NO_OP_PLUGIN_CLASS = "org.pf4j.Plugin";

    private final JsonNode servers;
    private final String descriptorFile;

    SockethostPluginDescriptor(PluginDescriptorDocument doc, String descriptorFile) {
        super(doc.id(), doc.description() == null ? "" : doc.description(), NO_OP_PLUGIN_CLASS, doc.version(),
                doc.requires() == null || doc.requires().isBlank() ? "*" : doc.requires(),
                doc.provider() == null ? "" : doc.provider(), doc.license() == null ? "" : doc.license());
        this.servers = doc.servers();
        this.descriptorFile = descriptorFile;
    }

    /** @return the {@code servers} array as written (possibly a missing node) */
    public JsonNode servers() {
        return servers;
    }

    /** @return how to name the descriptor in messages: {@code <jar>!/sockethost-plugin.json} */
    public String descriptorFile() {
        return descriptorFile;
    }
}
