package io.sockethost.core.plugin;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.pf4j.DefaultPluginClasspath;

/**
 * The files of one plugin, read the same way whether it is a jar (classes at the root), a plugin zip or the
 * folder a zip was unpacked into (PF4J's layout: descriptor at the root, classes under {@code classes/},
 * libraries under {@code lib/}). Not thread-safe; close it to release the zip file.
 */
sealed interface PluginContents extends Closeable {

    /** How a plugin is packaged, which decides where its classes are. */
    enum Kind {
        JAR("jar", ""),
        ZIP("zip", DefaultPluginClasspath.CLASSES_DIR + "/"),
        FOLDER("unpacked zip", DefaultPluginClasspath.CLASSES_DIR + "/");

        private final String noun;
        private final String classesPrefix;

        Kind(String noun, String classesPrefix) {
            this.noun = noun;
            this.classesPrefix = classesPrefix;
        }

        /** @return how messages name it: {@code jar}, {@code zip} */
        String noun() {
            return noun;
        }

        /** @return the path of the classes inside it, {@code ""} or {@code classes/} */
        String classesPrefix() {
            return classesPrefix;
        }
    }

    /** @return what {@code path} is, or {@code null} if it is none of the three */
    static Kind kindOf(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(path) && name.endsWith(".jar")) {
            return Kind.JAR;
        }
        if (Files.isRegularFile(path) && name.endsWith(".zip")) {
            return Kind.ZIP;
        }
        return Files.isDirectory(path) ? Kind.FOLDER : null;
    }

    /** @throws IOException if the jar or zip cannot be opened */
    static PluginContents open(Path path, Kind kind) throws IOException {
        return kind == Kind.FOLDER ? new Folder(path) : new Archive(new ZipFile(path.toFile()), kind);
    }

    /** @return the bytes of the file at {@code name} (a path with {@code /}), or {@code null} if there is none */
    byte[] read(String name) throws IOException;

    /**
     * @param packagePath a package as a path, e.g. {@code io/sockethost/api/}
     * @return where the plugin carries classes of that package (the package's path, with the library that
     *     holds it if it is one), or {@code null}
     */
    String bundledApi(String packagePath) throws IOException;

    /** A jar or a zip, read in place. */
    record Archive(ZipFile zip, Kind kind) implements PluginContents {
        @Override
        public byte[] read(String name) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null || entry.isDirectory()) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }

        @Override
        public String bundledApi(String packagePath) {
            // Libraries inside a zip are not opened here: the unpacked folder, which is what loads, checks them.
            String prefix = kind.classesPrefix() + packagePath;
            return zip.stream().anyMatch(e -> e.getName().startsWith(prefix)) ? prefix : null;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** The folder a plugin zip was unpacked into. */
    record Folder(Path root) implements PluginContents {
        @Override
        public byte[] read(String name) throws IOException {
            Path file = root.resolve(name);
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        }

        @Override
        public String bundledApi(String packagePath) throws IOException {
            String classes = DefaultPluginClasspath.CLASSES_DIR + "/" + packagePath;
            if (Files.isDirectory(root.resolve(classes))) {
                return classes;
            }
            Path lib = root.resolve(DefaultPluginClasspath.LIB_DIR);
            if (!Files.isDirectory(lib)) {
                return null;
            }
            List<Path> jars;
            try (Stream<Path> files = Files.list(lib)) {
                jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    if (zip.stream().anyMatch(e -> e.getName().startsWith(packagePath))) {
                        return packagePath + " in " + DefaultPluginClasspath.LIB_DIR + "/" + jar.getFileName();
                    }
                }
            }
            return null;
        }

        @Override
        public void close() {
            // nothing held open
        }
    }
}
