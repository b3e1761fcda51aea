package io.sockethost.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.sockethost.bench.system.ManagedProcess;

/**
 * The built distribution copied into a private folder and started with its own {@code bin/sockethost}, as an
 * operator runs it: the shipped configuration and launcher flags, with only every tcp and udp server moved to
 * a free loopback port ({@code conf/servers/soak.json}) and a large file added to http-lite's {@code www/}
 * (to reset a connection in the middle of a response). {@link #close()} stops the host (SIGTERM, then SIGKILL).
 */
final class SoakHost implements AutoCloseable {
    /** The file the resets in the middle of a response ask for. */
    static final String BIG_FILE = "/soak-256k.bin";
    static final int BIG_FILE_SIZE = 256 * 1024;
    private static final Pattern LISTENING = Pattern.compile("server (\\S+) \\(\\S+\\) listening on (?:tcp|udp) 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STARTED = Pattern.compile("sockethost started \\d+ server");
    private static final List<String> SERVERS = List.of("echo-tcp", "echo-udp", "http-lite", "login-auth");

    private final ManagedProcess process;
    private final Path stderr;
    private final Map<String, InetSocketAddress> addresses;

    private SoakHost(ManagedProcess process, Path stderr, Map<String, InetSocketAddress> addresses) {
        this.process = process;
        this.stderr = stderr;
        this.addresses = addresses;
    }

    /**
     * Copies {@code distribution} under {@code work} and starts it, waiting until it reports every server started.
     *
     * @param javaHome the JDK the launcher runs on (its {@code JAVA_HOME})
     * @param javaOpts the launcher's {@code JAVA_OPTS}, or null for none
     */
    static SoakHost start(Path distribution, Path work, Path javaHome, String javaOpts, Duration timeout)
            throws IOException, InterruptedException {
        Path home = work.resolve("sockethost");
        copyTree(distribution, home);
        Files.writeString(Files.createDirectories(home.resolve("conf/servers")).resolve("soak.json"), overrides(home));
        byte[] big = new byte[BIG_FILE_SIZE];
        new java.util.Random(19).nextBytes(big);
        Files.write(home.resolve("www").resolve(BIG_FILE.substring(1)), big);
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("JAVA_OPTS", javaOpts == null ? "" : javaOpts);
        ManagedProcess process = ManagedProcess.start("sockethost", List.of(home.resolve("bin/sockethost").toString()),
                home, work.resolve("logs"), env);
        Path stderr = work.resolve("logs/sockethost.err");
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!STARTED.matcher(read(stderr)).find()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the host did not start: " + process.exitReport());
                }
                Thread.sleep(50);
            }
            Map<String, InetSocketAddress> found = new HashMap<>();
            Matcher m = LISTENING.matcher(read(stderr));
            while (m.find()) {
                found.putIfAbsent(m.group(1), new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))));
            }
            for (String server : SERVERS) {
                if (!found.containsKey(server)) {
                    throw new IOException("the host did not start " + server + "; started " + found.keySet());
                }
            }
            return new SoakHost(process, stderr, Map.copyOf(found));
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** Every tcp and udp server of the shipped configuration on port 0: other builds share this machine's ports. */
    private static String overrides(Path home) throws IOException {
        String shipped = Files.readString(home.resolve("conf/sockethost.json"));
        Matcher m = Pattern.compile("\"([a-z0-9-]+)\": \\{\\s*\"handler\"[^}]*?\"transport\": \"(tcp|udp)\"").matcher(shipped);
        StringBuilder servers = new StringBuilder();
        while (m.find()) {
            servers.append(servers.length() == 0 ? "" : ",\n").append("    \"").append(m.group(1))
                    .append("\": { \"address\": \"127.0.0.1:0\" }");
        }
        return "{\n  \"servers\": {\n" + servers + "\n  }\n}\n";
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress address(String server) {
        return addresses.get(server);
    }

    /** The JVM's process id: the launcher replaces itself with the JVM (exec). */
    long pid() {
        return process.handle().pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String exitReport() {
        return process.exitReport();
    }

    /**
     * The host's log lines at WARN or ERROR, for the report, counted by their shape (the line from its level on,
     * numbers and client names blanked, cut at 100 characters): a soak should cause none it cannot explain.
     */
    Map<String, Long> warnings() throws IOException {
        // streamed: with the access log on, the host's output grows by a line per HTTP request
        try (Stream<String> lines = Files.lines(stderr)) {
            return lines.map(SoakHost::warningShape).filter(s -> !s.isEmpty())
                    .collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.TreeMap::new,
                            java.util.stream.Collectors.counting()));
        }
    }

    static String warningShape(String line) {
        int at = line.indexOf(" WARN ");
        if (at < 0) {
            at = line.indexOf(" ERROR ");
        }
        if (at < 0) {
            return "";
        }
        String shape = line.substring(at + 1).replaceAll("soak\\d+", "soak#").replaceAll("\\d+", "#");
        return shape.length() > 100 ? shape.substring(0, 100) + "..." : shape;
    }

    @Override
    public void close() {
        process.close();
    }
}
