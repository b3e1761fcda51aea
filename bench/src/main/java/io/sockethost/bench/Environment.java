package io.sockethost.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipFile;

import io.sockethost.bench.system.Executables;
import io.sockethost.bench.system.Jvm;

/**
 * What a run has to work with: a private temporary folder, the harness's own class path (for the Java
 * peers), the host's class path and the reactor-built plugin jars (for sockethost), the tools found on this
 * machine, and the document root of the HTTP scenario. {@link #close()} deletes the folder.
 *
 * @param pluginJars every jar under {@code plugins/}{@code *}{@code /target} that carries a sockethost descriptor
 * @param hostJvmOptions extra options for the sockethost JVMs (a flight recording, say); none by default
 */
public record Environment(Path workDir, Path logDir, Jvm jvm, Optional<Jvm> virtualThreadsJvm, String benchClassPath,
                          Path hostLib, List<Path> pluginJars, Optional<Path> python, Optional<Path> nginx,
                          Optional<Path> wrk, Path pythonPeers, Path wrkScript, Path docRoot,
                          List<String> hostJvmOptions) implements AutoCloseable {

    /** The file the HTTP scenario requests, and its size. */
    public static final String HTTP_PATH = "/1k.txt";
    public static final int HTTP_FILE_SIZE = 1024;

    /**
     * @param hostLib the host's class path folder (default: {@code host-lib} beside the harness jar)
     * @param repo the source tree whose {@code plugins/}{@code *}{@code /target} holds the plugin jars
     * @param java21 a JDK 21+ folder for the virtual-thread rows, or null to look for one
     */
    public static Environment prepare(Path hostLib, Path repo, Path java21, boolean useWrk) throws IOException {
        Path work = Files.createTempDirectory("sockethost-bench-");
        // nginx's worker may run as another user (nobody, when started by root): it must be able to read the root
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path docRoot = Files.createDirectories(work.resolve("www"));
        StringBuilder text = new StringBuilder();
        while (text.length() < HTTP_FILE_SIZE) {
            text.append("sockethost benchmark: a 1 KiB static file.\n");
        }
        Files.writeString(docRoot.resolve(HTTP_PATH.substring(1)), text.substring(0, HTTP_FILE_SIZE), StandardCharsets.US_ASCII);
        Path peers = extract("/python/bench_peers.py", work.resolve("bench_peers.py"));
        Path lua = extract("/io/sockethost/bench/wrk-report.lua", work.resolve("wrk-report.lua"));
        return new Environment(work, logs, Jvm.current(), Jvm.withVirtualThreads(java21),
                absolute(System.getProperty("java.class.path")), hostLib.toAbsolutePath().normalize(), pluginJars(repo),
                Executables.find("python3").map(Environment::realPython), Executables.find("nginx"),
                useWrk ? Executables.find("wrk") : Optional.empty(), peers, lua, docRoot, List.of());
    }

    public Environment withHostJvmOptions(List<String> options) {
        return new Environment(workDir, logDir, jvm, virtualThreadsJvm, benchClassPath, hostLib, pluginJars, python, nginx,
                wrk, pythonPeers, wrkScript, docRoot, List.copyOf(options));
    }

    /**
     * The interpreter itself rather than a launcher in front of it (pyenv's shims are shell scripts that
     * add tens of milliseconds to every start, which the start-up scenario would charge to Python).
     */
    private static Path realPython(Path python) {
        String executable = io.sockethost.bench.system.Commands.output(
                List.of(python.toString(), "-c", "import sys; print(sys.executable)"));
        return !executable.isEmpty() && Files.isExecutable(Path.of(executable)) ? Path.of(executable) : python;
    }

    /** The class path with every entry absolute, since peers run in folders of their own. */
    private static String absolute(String classPath) {
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The plugin jar declaring a plugin id, if it was built. */
    public Optional<Path> pluginJar(String pluginId) {
        return pluginJars.stream().filter(jar -> PluginDescriptors.read(jar).id().equals(pluginId)).findFirst();
    }

    /** Why the host cannot be started, or empty. */
    public Optional<String> hostMissing() {
        if (listJars(hostLib).stream().noneMatch(p -> p.getFileName().toString().startsWith("server-core-"))) {
            return Optional.of("no host class path at " + hostLib + " (build first: mvn -B -ntp -DskipTests package)");
        }
        if (pluginJars.isEmpty()) {
            return Optional.of("no plugin jars under plugins/*/target (build first: mvn -B -ntp -DskipTests package)");
        }
        return Optional.empty();
    }

    private static List<Path> pluginJars(Path repo) throws IOException {
        List<Path> jars = new ArrayList<>();
        Path plugins = repo.resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            return jars;
        }
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(plugins, Files::isDirectory)) {
            for (Path module : modules) {
                for (Path jar : listJars(module.resolve("target"))) {
                    String name = jar.getFileName().toString();
                    if (!name.startsWith("original-") && !name.matches(".*-(sources|javadoc|tests)\\.jar") && hasDescriptor(jar)) {
                        jars.add(jar);
                    }
                }
            }
        }
        jars.sort(Comparator.comparing(Path::toString));
        return List.copyOf(jars);
    }

    private static List<Path> listJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            List<Path> result = new ArrayList<>();
            jars.forEach(result::add);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasDescriptor(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(PluginDescriptors.FILE) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = Environment.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Override
    public void close() throws IOException {
        try (var paths = Files.walk(workDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
