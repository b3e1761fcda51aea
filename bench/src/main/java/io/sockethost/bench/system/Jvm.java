package io.sockethost.bench.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A Java runtime that can run peer and host processes.
 *
 * @param home the JDK folder
 * @param feature the feature release (17, 21, 25...)
 * @param version the full version, from the JDK's {@code release} file
 */
public record Jvm(Path home, int feature, String version) {
    private static final Path JVM_FOLDER = Path.of("/usr/lib/jvm");

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** "JDK 17" */
    public String label() {
        return "JDK " + feature;
    }

    /** The runtime running the harness. */
    public static Jvm current() {
        return new Jvm(Path.of(System.getProperty("java.home")), Runtime.version().feature(),
                System.getProperty("java.version"));
    }

    /** Reads a JDK folder's {@code release} file, or empty if it is not a JDK. */
    public static Optional<Jvm> at(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(release)) {
            p.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String version = p.getProperty("JAVA_VERSION", "").replace("\"", "");
        if (version.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Jvm(home.toAbsolutePath().normalize(), Runtime.Version.parse(version).feature(), version));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A Java 21+ runtime for virtual threads: {@code explicit} if given, else this one if recent enough, else
     * the newest JDK 21+ under {@code /usr/lib/jvm}.
     */
    public static Optional<Jvm> withVirtualThreads(Path explicit) {
        if (explicit != null) {
            return at(explicit).filter(j -> j.feature() >= 21);
        }
        Jvm current = current();
        if (current.feature() >= 21) {
            return Optional.of(current);
        }
        if (!Files.isDirectory(JVM_FOLDER)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(JVM_FOLDER)) {
            Stream.Builder<Jvm> found = Stream.builder();
            for (Path dir : dirs) {
                at(dir).filter(j -> j.feature() >= 21).ifPresent(found);
            }
            return found.build().max(Comparator.comparingInt(Jvm::feature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
