package io.sockethost.core.plugin;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.PluginServers;

/**
 * The plugins of one {@code plugins/} folder: every jar is tried on its own, so a corrupt, incompatible or
 * duplicate jar is recorded as a {@link PluginFailure} (and logged) while the others load. Gives the
 * servers each plugin declares and loads handler classes from the right plugin. Use from one thread;
 * {@link #close()} unloads every plugin and closes its class loader.
 */
public final class PluginCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);

    private final SockethostPluginManager manager;
    private final String hostVersion;
    private final Map<String, LoadedPlugin> loaded = new LinkedHashMap<>();
    private final List<PluginFailure> failures = new ArrayList<>();

    private PluginCatalog(Path pluginsDir, String hostVersion) {
        this.hostVersion = hostVersion;
        this.manager = new SockethostPluginManager(pluginsDir, hostVersion);
    }

    /**
     * Loads every {@code *.jar} in {@code pluginsDir}, in name order.
     *
     * @param hostVersion the version plugins' {@code requires} is checked against, without a {@code -SNAPSHOT} suffix
     * @throws IOException if the folder cannot be listed (a missing folder is an empty catalog)
     */
    public static PluginCatalog load(Path pluginsDir, String hostVersion) throws IOException {
        PluginCatalog catalog = new PluginCatalog(pluginsDir, hostVersion);
        if (!Files.isDirectory(pluginsDir)) {
            log.warn("plugins folder {} does not exist; no plugins loaded", pluginsDir);
            return catalog;
        }
        List<Path> jars;
        try (Stream<Path> list = Files.list(pluginsDir)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            catalog.loadOne(jar);
        }
        catalog.manager.startPlugins();
        return catalog;
    }

    /**
     * Loads one plugin jar on its own, as a forking worker does for the plugin it serves; a failure is in
     * {@link #failures()}.
     */
    public static PluginCatalog loadJar(Path jar, String hostVersion) {
        PluginCatalog catalog = new PluginCatalog(jar.toAbsolutePath().getParent(), hostVersion);
        catalog.loadOne(jar);
        catalog.manager.startPlugins();
        return catalog;
    }

    private void loadOne(Path jar) {
        String id;
        try {
            id = manager.loadPlugin(jar);
        } catch (RuntimeException e) {
            fail(jar, e.getMessage() == null ? e.toString() : e.getMessage(), e);
            return;
        }
        PluginWrapper wrapper = manager.getPlugin(id);
        SockethostPluginDescriptor descriptor = (SockethostPluginDescriptor) wrapper.getDescriptor();
        if (wrapper.getPluginState() == PluginState.DISABLED) {
            String reason = wrapper.getFailedException() != null
                    ? "plugin \"" + id + "\" " + descriptor.getVersion() + " requires sockethost \""
                            + descriptor.getRequires() + "\", but this host is " + hostVersion
                    : "plugin \"" + id + "\" is disabled in " + jar.getParent().resolve("disabled.txt");
            manager.unloadPlugin(id);
            fail(jar, reason, null);
            return;
        }
        loaded.put(id, new LoadedPlugin(id, descriptor.getVersion(), descriptor.getRequires(),
                descriptor.getPluginDescription(), jar, descriptor));
    }

    private void fail(Path jar, String reason, Exception cause) {
        log.error("skipping plugin {}: {}", jar, reason);
        if (cause != null) {
            log.debug("skipping plugin {}", jar, cause);
        }
        failures.add(new PluginFailure(jar, reason));
    }

    public List<LoadedPlugin> plugins() {
        return List.copyOf(loaded.values());
    }

    public List<PluginFailure> failures() {
        return List.copyOf(failures);
    }

    /** The servers each loaded plugin declares, for {@link io.sockethost.core.config.ServerConfigResolver}. */
    public List<PluginServers> declaredServers() {
        return loaded.values().stream()
                .map(p -> new PluginServers(p.id(), p.descriptor().descriptorFile(), p.descriptor().servers()))
                .toList();
    }

    /**
     * Loads a handler or hooks class named by a descriptor from its plugin and checks it can be used: it
     * implements {@code type}, is a public concrete class with a public no-argument constructor, and is
     * listed in the plugin's extension index.
     *
     * @throws IllegalArgumentException saying what is wrong and how to fix it
     */
    public <T> Constructor<? extends T> extensionConstructor(String pluginId, String className, Class<T> type) {
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        if (wrapper == null) {
            throw new IllegalArgumentException("plugin \"" + pluginId + "\" is not loaded");
        }
        Class<?> found;
        try {
            found = Class.forName(className, false, wrapper.getPluginClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class " + className + " is not in plugin \"" + pluginId + "\" ("
                    + wrapper.getPluginPath() + ")");
        }
        if (!type.isAssignableFrom(found)) {
            throw new IllegalArgumentException("class " + className + " does not implement " + type.getName());
        }
        if (!Modifier.isPublic(found.getModifiers()) || Modifier.isAbstract(found.getModifiers())) {
            throw new IllegalArgumentException("class " + className + " must be public and not abstract");
        }
        if (!manager.getExtensionClassNames(pluginId).contains(className)) {
            throw new IllegalArgumentException("class " + className + " is not listed in META-INF/extensions.idx of "
                    + "plugin \"" + pluginId + "\"; annotate it with @org.pf4j.Extension");
        }
        try {
            Constructor<? extends T> constructor = found.asSubclass(type).getConstructor();
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("class " + className + " has no public no-argument constructor; the host "
                    + "makes one instance per request with it");
        }
    }

    @Override
    public void close() {
        // unloadPlugins() stops each plugin first; PF4J's stopPlugins() fails while iterating (3.15).
        manager.unloadPlugins();
    }
}
