package io.sockethost.core.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginRuntimeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.StrictJson;

/**
 * Reads {@code sockethost-plugin.json} from the root of a plugin jar, a plugin zip or the folder a zip was
 * unpacked into, and refuses plugins PF4J would load into trouble: no descriptor, malformed JSON, missing id
 * or version, no extension index, or a bundled copy of the API (which would make the plugin's handler a
 * different {@code StreamHandler} from the host's). Stateless; {@link #find} throws
 * {@link PluginRuntimeException} with the reason in an operator's words.
 */
final class JsonPluginDescriptorFinder implements PluginDescriptorFinder {
    static final String API_PACKAGE_PATH = "io/sockethost/api/";
    static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";

    @Override
    public boolean isApplicable(Path pluginPath) {
        return PluginContents.kindOf(pluginPath) != null;
    }

    @Override
    public PluginDescriptor find(Path pluginPath) {
        PluginContents.Kind kind = PluginContents.kindOf(pluginPath);
        if (kind == null) {
            throw new PluginRuntimeException("not a plugin jar, zip or unpacked zip: {}", pluginPath);
        }
        String file = pluginPath + "!/" + PluginDescriptorDocument.RESOURCE;
        String what = kind.noun();
        try (PluginContents contents = PluginContents.open(pluginPath, kind)) {
            byte[] descriptor = contents.read(PluginDescriptorDocument.RESOURCE);
            if (descriptor == null) {
                throw new PluginRuntimeException("not a sockethost plugin: no {} at the {}'s root",
                        PluginDescriptorDocument.RESOURCE, what);
            }
            String bundledApi = contents.bundledApi(API_PACKAGE_PATH);
            if (bundledApi != null) {
                throw new PluginRuntimeException("the {} bundles sockethost API classes ({}); declare server-api "
                        + "with <scope>provided</scope> so the host's copy is used", what, bundledApi);
            }
            JsonNode root = StrictJson.readTree(new String(descriptor, StandardCharsets.UTF_8), file);
            PluginDescriptorDocument doc = StrictJson.bind(root, PluginDescriptorDocument.class, file, "");
            if (doc == null) {
                // An empty file or a bare null binds to nothing (found by ConfigFuzzTest: it was an NPE below).
                throw new PluginRuntimeException("{}: expected a JSON object with \"id\", \"version\" and \"servers\"", file);
            }
            List<String> missing = new ArrayList<>();
            if (doc.id() == null || doc.id().isBlank()) {
                missing.add("id");
            }
            if (doc.version() == null || doc.version().isBlank()) {
                missing.add("version");
            }
            if (!missing.isEmpty()) {
                throw new PluginRuntimeException("{}: missing {}", file, String.join(" and ", missing));
            }
            String index = kind.classesPrefix() + EXTENSIONS_INDEX;
            if (contents.read(index) == null) {
                throw new PluginRuntimeException("no {} in the {}: annotate handlers with @org.pf4j.Extension and "
                        + "keep pf4j (with its annotation processor) on the compile class path", index, what);
            }
            return new SockethostPluginDescriptor(doc, file);
        } catch (JsonProcessingException e) {
            throw new PluginRuntimeException(e, "{}: {}", file, StrictJson.describe(e));
        } catch (ConfigException e) {
            throw new PluginRuntimeException(e.getMessage());
        } catch (IOException e) {
            throw new PluginRuntimeException(e, "not a readable {} ({})", what, e.getMessage());
        }
    }
}
