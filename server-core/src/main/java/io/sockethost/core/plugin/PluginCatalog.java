package io.sockethost.core.plugin;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.PluginServers;

/**
 * The plugins of one {@code plugins/} folder: every plugin jar and plugin zip is tried on its own, so a
 * corrupt, incompatible or duplicate plugin is recorded as a {@link PluginFailure} while the others load;
 * anything else in the folder (another file, a folder) is recorded as a failure too, with the reason, so
 * that nothing there is silently ignored. Gives the servers each plugin declares and loads handler classes
 * from the right plugin.
 *
 * <p>A plugin zip (PF4J's layout: {@code sockethost-plugin.json} at the root, {@code classes/}, {@code
 * lib/*.jar}) is unpacked with PF4J's {@code Unzip} into a fresh temporary folder of its own, never next to
 * the zip: {@code plugins/} may be read-only to the host (the systemd unit makes it so), and {@code check}
 * may load the same zip while a host serves from it. The folder is deleted when the plugin is unloaded.
 *
 * <p>Each plugin has a PF4J manager (and so a class loader) of its own, so that a reload can keep the
 * plugins that did not change, load new and replaced ones beside them and unload the rest ({@link #rescan},
 * {@link #retire}). Use from one thread at a time (PF4J's manager is not thread-safe);
 * {@link #close()} unloads every plugin and closes its class loader.
 */
public final class PluginCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);

    private final Path pluginsDir;
    private final String hostVersion;
    private final Map<String, JarPlugin> loaded = new LinkedHashMap<>();
    private final List<PluginFailure> failures = new ArrayList<>();
    private boolean closed;

    /** PF4J's plugin status files, which may sit in the plugins folder beside the plugins. */
    private static final Set<String> STATUS_FILES = Set.of("disabled.txt", "enabled.txt");

    /**
     * One loaded jar or zip with its own manager; shared between a catalog and the one its {@link #rescan}
     * made while the file is unchanged.
     *
     * @param stamp size, modification time and file key of the jar or zip when it was loaded
     * @param code what the class loader reads: the jar, or the folder the zip was unpacked into
     */
    private record JarPlugin(LoadedPlugin plugin, SockethostPluginManager manager, List<Object> stamp, Path code) {
        void unload() {
            // unloadPlugins() stops each plugin first and closes its class loader; stopPlugins() fails while
            // iterating (PF4J 3.15)
            manager.unloadPlugins();
            if (!code.equals(plugin.path())) {
                PluginFolderEntries.deleteUnpacked(code);
            }
        }
    }

    private PluginCatalog(Path pluginsDir, String hostVersion) {
        this.pluginsDir = pluginsDir;
        this.hostVersion = hostVersion;
    }

    /**
     * Loads every {@code *.jar} and {@code *.zip} in {@code pluginsDir}, in name order; anything else there is
     * recorded as a failure.
     *
     * @param hostVersion the version plugins' {@code requires} is checked against, without a {@code -SNAPSHOT} suffix
     * @throws IOException if the folder cannot be listed (a missing folder is an empty catalog)
     */
    public static PluginCatalog load(Path pluginsDir, String hostVersion) throws IOException {
        return new PluginCatalog(pluginsDir, hostVersion).scan(Map.of());
    }

    /**
     * The plugins folder as it is now: jars that have not changed since this catalog loaded them are shared
     * with it (same class loader), new and changed ones are loaded afresh. Neither catalog is closed; call
     * {@link #retire} on the one that is given up (this one after a successful reload, the new one after a
     * failed one), then use or close the other.
     *
     * @throws IOException if the folder cannot be listed
     */
    public PluginCatalog rescan() throws IOException {
        return new PluginCatalog(pluginsDir, hostVersion).scan(byPath());
    }

    /**
     * Unloads the plugins of this catalog that {@code successor} does not share, and closes their class
     * loaders; the shared ones stay loaded for {@code successor}. This catalog is unusable afterwards.
     */
    public void retire(PluginCatalog successor) {
        Set<JarPlugin> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(successor.loaded.values());
        for (JarPlugin jar : loaded.values()) {
            if (!kept.contains(jar)) {
                jar.unload();
            }
        }
        loaded.clear();
        closed = true;
    }

    /** @return whether {@code other} holds the very same loaded jar (same class loader) for {@code pluginId} */
    public boolean sameLoad(PluginCatalog other, String pluginId) {
        JarPlugin mine = loaded.get(pluginId);
        return mine != null && mine == other.loaded.get(pluginId);
    }

    private Map<Path, JarPlugin> byPath() {
        Map<Path, JarPlugin> result = new LinkedHashMap<>();
        loaded.values().forEach(j -> result.put(j.plugin().path(), j));
        return result;
    }

    private PluginCatalog scan(Map<Path, JarPlugin> previous) throws IOException {
        if (!Files.isDirectory(pluginsDir)) {
            log.warn("plugins folder {} does not exist; no plugins loaded", pluginsDir);
            return this;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(pluginsDir)) {
            entries = list.filter(p -> !STATUS_FILES.contains(p.getFileName().toString())).sorted().toList();
        }
        for (Path jar : entries) {
            PluginContents.Kind kind = PluginContents.kindOf(jar);
            if (kind != PluginContents.Kind.JAR && kind != PluginContents.Kind.ZIP) {
                failures.add(new PluginFailure(jar, PluginFolderEntries.notAPlugin(jar, entries)));
                continue;
            }
            JarPlugin earlier = previous.get(jar);
            if (earlier != null && earlier.stamp().equals(stamp(jar)) && !loaded.containsKey(earlier.plugin().id())) {
                loaded.put(earlier.plugin().id(), earlier);
            } else {
                loadOne(jar);
            }
        }
        return this;
    }

    /** What tells a replaced jar from the one loaded: size, modification time and file key (inode). */
    private static List<Object> stamp(Path jar) {
        try {
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            return Arrays.asList(a.size(), a.lastModifiedTime(), a.fileKey());
        } catch (IOException e) {
            return List.of(); // unreadable now: never equal to a real stamp, so it is loaded (and fails) again
        }
    }

    /**
     * Loads one plugin on its own, as a forking worker does for the plugin it serves: a jar, a zip or the
     * folder a zip was unpacked into ({@link #codePath}); a failure is in {@link #failures()}.
     */
    public static PluginCatalog loadJar(Path jar, String hostVersion) {
        PluginCatalog catalog = new PluginCatalog(jar.toAbsolutePath().getParent(), hostVersion);
        catalog.loadOne(jar);
        return catalog;
    }

    /**
     * @return what the plugin's class loader reads, for a forking worker to load the same: its jar, or the
     *     folder its zip was unpacked into (which lives as long as the plugin stays loaded here)
     * @throws IllegalArgumentException if the plugin is not loaded
     */
    public Path codePath(String pluginId) {
        JarPlugin jar = loaded.get(pluginId);
        if (jar == null) {
            throw new IllegalArgumentException("plugin \"" + pluginId + "\" is not loaded");
        }
        return jar.code();
    }

    private void loadOne(Path jar) {
        List<Object> stamp = stamp(jar);
        Path code;
        try {
            code = PluginFolderEntries.unpackIfZip(jar);
        } catch (IOException | RuntimeException e) {
            fail(jar, "cannot unpack the plugin zip: " + e.getMessage(), e);
            return;
        }
        if (!loadFrom(jar, code, stamp) && !code.equals(jar)) {
            PluginFolderEntries.deleteUnpacked(code);
        }
    }

    /** @return whether the plugin loaded (else a failure is recorded) */
    private boolean loadFrom(Path jar, Path code, List<Object> stamp) {
        SockethostPluginDescriptor declared;
        try {
            // Read from the jar or zip itself, so that every message names the file the operator put there.
            declared = (SockethostPluginDescriptor) new JsonPluginDescriptorFinder().find(jar);
        } catch (RuntimeException e) {
            fail(jar, e.getMessage() == null ? e.toString() : e.getMessage(), e);
            return false;
        }
        SockethostPluginManager manager = new SockethostPluginManager(jar.toAbsolutePath().getParent(), hostVersion);
        if (!manager.getVersionManager().checkVersionConstraint(hostVersion, asPf4jReads(declared.getRequires()))) {
            // Checked here, before PF4J, which would log two warnings of its own for what the host reports in one line.
            fail(jar, versionMismatch(declared), null);
            return false;
        }
        String id;
        try {
            id = manager.loadPlugin(code);
        } catch (RuntimeException e) {
            manager.unloadPlugins();
            fail(jar, e.getMessage() == null ? e.toString() : e.getMessage(), e);
            return false;
        }
        PluginWrapper wrapper = manager.getPlugin(id);
        SockethostPluginDescriptor descriptor = declared;
        if (wrapper.getPluginState() == PluginState.DISABLED) {
            String reason = wrapper.getFailedException() != null ? versionMismatch(descriptor) : "plugin \"" + id + "\" is disabled in " + jar.getParent().resolve("disabled.txt");
            manager.unloadPlugins();
            fail(jar, reason, null);
            return false;
        }
        JarPlugin first = loaded.get(id);
        if (first != null) {
            manager.unloadPlugins();
            fail(jar, "plugin \"" + id + "\" is already loaded from " + first.plugin().path()
                    + ": two plugins with the same id; remove one", null);
            return false;
        }
        manager.startPlugins();
        loaded.put(id, new JarPlugin(new LoadedPlugin(id, descriptor.getVersion(), descriptor.getRequires(),
                descriptor.getPluginDescription(), jar, descriptor), manager, stamp, code));
        return true;
    }

    /** PF4J reads a bare version {@code 1.2.0} in {@code requires} as {@code >=1.2.0}. */
    private static String asPf4jReads(String requires) {
        String r = requires.trim();
        return r.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + r : r;
    }

    private String versionMismatch(SockethostPluginDescriptor descriptor) {
        return "plugin \"" + descriptor.getPluginId() + "\" " + descriptor.getVersion() + " requires sockethost \""
                + descriptor.getRequires() + "\", but this host is " + hostVersion;
    }

    /** @return the jar's descriptor, or {@code null} if it cannot be read (PF4J then says why) */
    private static SockethostPluginDescriptor readDescriptor(Path jar) {
        try {
            return (SockethostPluginDescriptor) new JsonPluginDescriptorFinder().find(jar);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Records a skipped jar with what its descriptor says, where it can be read, so that the host can name
     * the plugin and the servers it does not start. Logged at debug only: the host and the commands report
     * failures in their own words.
     */
    private void fail(Path jar, String reason, Exception cause) {
        log.debug("skipping plugin {}: {}", jar, reason, cause);
        SockethostPluginDescriptor d = readDescriptor(jar);
        String id = d == null ? null : d.getPluginId();
        List<String> servers = new ArrayList<>();
        if (d != null && d.servers() != null) {
            d.servers().forEach(s -> {
                if (s.path("name").isTextual()) {
                    servers.add(s.path("name").asText());
                }
            });
        }
        failures.add(new PluginFailure(jar, reason, id, servers));
    }

    public List<LoadedPlugin> plugins() {
        return loaded.values().stream().map(JarPlugin::plugin).toList();
    }

    public List<PluginFailure> failures() {
        return List.copyOf(failures);
    }

    /** The servers each loaded plugin declares, for {@link io.sockethost.core.config.ServerConfigResolver}. */
    public List<PluginServers> declaredServers() {
        return loaded.values().stream().map(JarPlugin::plugin)
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
        JarPlugin jar = loaded.get(pluginId);
        PluginWrapper wrapper = jar == null ? null : jar.manager().getPlugin(pluginId);
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
        if (!jar.manager().getExtensionClassNames(pluginId).contains(className)) {
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
        if (!closed) {
            closed = true;
            loaded.values().forEach(JarPlugin::unload);
        }
        // the list stays: a command that reports a broken configuration still lists what had loaded
    }
}
