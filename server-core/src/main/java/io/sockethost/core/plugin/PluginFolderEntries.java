package io.sockethost.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.pf4j.util.FileUtils;
import org.pf4j.util.Unzip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugins folder may hold besides plugin jars: plugin zips, unpacked here for loading (into a
 * temporary folder of their own, since {@code plugins/} may be read-only to the host and a zip may be
 * loaded by two processes at once), and anything else, which is explained, never silently skipped.
 * Stateless; the methods may be called from any thread.
 */
final class PluginFolderEntries {
    private static final Logger log = LoggerFactory.getLogger(PluginFolderEntries.class);

    private PluginFolderEntries() {
    }

    /** Why a file or folder in the plugins folder is not loaded, and what to do about it. */
    static String notAPlugin(Path entry, List<Path> entries) {
        if (Files.isDirectory(entry)) {
            boolean besideZip = entries.stream().anyMatch(p -> p.getFileName().toString()
                    .equalsIgnoreCase(entry.getFileName() + ".zip"));
            return "not a plugin: a folder" + (besideZip ? " (an unpacked copy of " + entry.getFileName()
                    + ".zip? the host unpacks plugin zips itself, elsewhere)" : "")
                    + "; plugins are *.jar or *.zip files, so remove it or move it out of the plugins folder";
        }
        return "not a plugin: plugins are *.jar or *.zip files (a plugin zip holds sockethost-plugin.json, classes/ "
                + "and lib/); remove it or move it out of the plugins folder";
    }

    /**
     * @return {@code file} itself, or a new temporary folder holding what the zip {@code file} holds, which the
     *     caller deletes with {@link #deleteUnpacked} when the plugin is unloaded
     * @throws IOException if the zip cannot be read or the folder written (nothing is left behind then)
     */
    static Path unpackIfZip(Path file) throws IOException {
        if (PluginContents.kindOf(file) != PluginContents.Kind.ZIP) {
            return file;
        }
        String name = file.getFileName().toString();
        Path folder = Files.createTempDirectory("sockethost-plugin-" + name.substring(0, name.length() - 4) + "-");
        try {
            new Unzip(file.toFile(), folder.toFile()).extract();
        } catch (IOException | RuntimeException e) {
            deleteUnpacked(folder);
            throw e;
        }
        return folder;
    }

    /** Deletes a folder {@link #unpackIfZip} made; a failure is logged (the folder is temporary). */
    static void deleteUnpacked(Path folder) {
        try {
            if (Files.exists(folder)) {
                FileUtils.delete(folder);
            }
        } catch (IOException e) {
            log.warn("cannot delete the unpacked plugin folder {}: {}", folder, e.toString());
        }
    }
}
