package io.sockethost.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginRuntimeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.StrictJson;

/**
 * Reads {@code sockethost-plugin.json} from the root of a plugin jar, and refuses jars PF4J would load
 * into trouble: no descriptor, malformed JSON, missing id or version, or a bundled copy of the API (which
 * would make the plugin's handler a different {@code StreamHandler} from the host's).
 */
final class JsonPluginDescriptorFinder implements PluginDescriptorFinder {
    static final String API_PACKAGE_PATH = "io/sockethost/api/";
    static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";

    @Override
    public boolean isApplicable(Path pluginPath) {
        return Files.isRegularFile(pluginPath) && pluginPath.getFileName().toString().endsWith(".jar");
    }

    @Override
    public PluginDescriptor find(Path pluginPath) {
        String file = pluginPath + "!/" + PluginDescriptorDocument.RESOURCE;
        try (ZipFile zip = new ZipFile(pluginPath.toFile())) {
            ZipEntry entry = zip.getEntry(PluginDescriptorDocument.RESOURCE);
            if (entry == null) {
                throw new PluginRuntimeException("not a sockethost plugin: no {} at the jar's root",
                        PluginDescriptorDocument.RESOURCE);
            }
            if (zip.getEntry(API_PACKAGE_PATH) != null || zip.stream().anyMatch(e -> e.getName().startsWith(API_PACKAGE_PATH))) {
                throw new PluginRuntimeException("the jar bundles sockethost API classes ({}); declare server-api "
                        + "with <scope>provided</scope> so the host's copy is used", API_PACKAGE_PATH);
            }
            JsonNode root;
            try (InputStream in = zip.getInputStream(entry)) {
                root = StrictJson.readTree(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), file);
            }
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
            if (zip.getEntry(EXTENSIONS_INDEX) == null) {
                throw new PluginRuntimeException("no {} in the jar: annotate handlers with @org.pf4j.Extension and "
                        + "keep pf4j (with its annotation processor) on the compile class path", EXTENSIONS_INDEX);
            }
            return new SockethostPluginDescriptor(doc, file);
        } catch (JsonProcessingException e) {
            throw new PluginRuntimeException(e, "{}: {}", file, StrictJson.describe(e));
        } catch (ConfigException e) {
            throw new PluginRuntimeException(e.getMessage());
        } catch (IOException e) {
            throw new PluginRuntimeException(e, "not a readable jar ({})", e.getMessage());
        }
    }
}
