package io.sockethost.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sockethost.bench.Environment;
import io.sockethost.bench.PluginDescriptors;
import io.sockethost.bench.system.FreePorts;
import io.sockethost.bench.system.Jvm;

/**
 * sockethost as operators run it: {@code io.sockethost.launcher.Main --home <home>} on the host's class
 * path, with the reactor-built plugin jars in {@code <home>/plugins} and a {@code conf/sockethost.json}
 * that moves the server under test to the chosen port and sets the concurrency under test. The other
 * declared servers are disabled, or (for start-up and memory, which measure the host as shipped) moved
 * to free ports.
 *
 * @param mode the concurrency mode ("sync", "threading", "forking")
 * @param virtualThreads threading on virtual threads, on a Java 21+ runtime
 * @param allServers keep every declared server enabled
 * @param maxWorkers the {@code maxWorkers} (and {@code maxChildren}) to set, or 0 for the default
 * @param requestsPerChild forking: requests a worker serves before it exits; 0, the harness's choice, reuses
 *     workers (as Apache's prefork), 1 starts a fresh worker JVM per request (as Python forks per request)
 */
public record SockethostPeer(String id, String name, String mode, boolean virtualThreads, boolean allServers,
                             int maxWorkers, int requestsPerChild) implements Peer {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static SockethostPeer of(String mode, boolean virtualThreads) {
        String id = "sockethost-" + (virtualThreads ? "virtual" : mode);
        String name = "sockethost " + mode + (virtualThreads ? ", virtual threads" : "");
        return new SockethostPeer(id, name, mode, virtualThreads, false, 0, 0);
    }

    /** A forking host that serves each request in a fresh worker JVM ({@code requestsPerChild} 1). */
    public static SockethostPeer forkingFresh() {
        return new SockethostPeer("sockethost-forking-fresh", "sockethost forking, a fresh worker per request", "forking",
                false, false, 0, 1);
    }

    /** The same, with every declared server enabled. */
    public SockethostPeer withAllServers() {
        return new SockethostPeer(id, name, mode, virtualThreads, true, maxWorkers, requestsPerChild);
    }

    public SockethostPeer withMaxWorkers(int workers) {
        return new SockethostPeer(id, name, mode, virtualThreads, allServers, workers, requestsPerChild);
    }

    @Override
    public Kind kind() {
        return Kind.SOCKETHOST;
    }

    @Override
    public boolean startFailureIsSkip() {
        return mode.equals("forking");
    }

    /** A forking host starts worker JVMs while connections take its spare ones. */
    @Override
    public boolean startsProcessesUnderLoad() {
        return mode.equals("forking");
    }

    /** The runtime this row runs on. */
    public Optional<Jvm> jvm(Environment env) {
        return virtualThreads ? env.virtualThreadsJvm() : Optional.of(env.jvm());
    }

    /** The declared server a service is measured on. */
    static String target(Service service) {
        return switch (service) {
            case TCP_ECHO -> "echo-tcp";
            case UDP_ECHO -> "echo-udp";
            case HTTP_FILE, HTTPS_FILE -> "http-lite";
        };
    }

    private static String plugin(Service service) {
        return service == Service.HTTP_FILE || service == Service.HTTPS_FILE ? "http-lite" : "echo";
    }

    @Override
    public Optional<String> unavailable(Environment env, Service service) {
        Optional<String> host = env.hostMissing();
        if (host.isPresent()) {
            return host;
        }
        if (env.pluginJar(plugin(service)).isEmpty()) {
            return Optional.of("the " + plugin(service) + " plugin jar is not built (plugins/" + plugin(service)
                    + "/target); its rows are skipped");
        }
        if (jvm(env).isEmpty()) {
            return Optional.of("virtual threads need a Java 21+ runtime; none found (use --java21 <jdk folder>)");
        }
        return service == Service.HTTPS_FILE ? BenchCertificate.unavailable() : Optional.empty();
    }

    @Override
    public Launch prepare(Environment env, Service service, int port, Path dir) throws IOException {
        Path home = dir.resolve("home");
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Map<String, Object> servers = new LinkedHashMap<>();
        for (Path jar : env.pluginJars()) {
            Files.copy(jar, plugins.resolve(jar.getFileName()));
            for (PluginDescriptors.Server server : PluginDescriptors.read(jar).servers()) {
                servers.put(server.name(), override(env, server, service, port));
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("host", Map.of("shutdownTimeout", 2));
        document.put("servers", servers);
        Files.writeString(conf.resolve("sockethost.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        Jvm jvm = jvm(env).orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(jvm.java().toString()));
        if (!loadsNativeAgent(env.hostJvmOptions())) {
            command.addAll(classDataSharing(env, jvm));
        }
        command.addAll(moduleOptions(jvm));
        command.addAll(env.hostJvmOptions());
        command.addAll(List.of("-cp", env.hostLib().resolve("*").toString(), "io.sockethost.launcher.Main",
                "--home", home.toString()));
        return new Launch(command, home);
    }

    /**
     * A native agent (async-profiler, say) rules out dumping a class-data-sharing archive: the JVM refuses to
     * start. Profiled hosts then start without one, as {@code SOCKETHOST_CDS=off} does for the launcher.
     */
    static boolean loadsNativeAgent(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> o.startsWith("-agentpath:") || o.startsWith("-agentlib:"));
    }

    /**
     * The module options {@code bin/sockethost} gives the host: forking servers hand connections over to
     * their workers, and junixsocket's native library loads without a warning on Java 22+.
     */
    private static List<String> moduleOptions(Jvm jvm) {
        String exports = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
        return jvm.feature() >= 22 ? List.of(exports, "--enable-native-access=ALL-UNNAMED") : List.of(exports);
    }

    /**
     * What {@code bin/sockethost} does for start-up: the first host process of a JVM dumps a class-data-sharing
     * archive (an AOT cache on Java 25+) when it exits, later ones map it; so every measured start but the
     * first is an operator's second and later start.
     */
    private static List<String> classDataSharing(Environment env, Jvm jvm) throws IOException {
        if (jvm.feature() >= 25) {
            return aheadOfTimeCache(env, jvm);
        }
        Path archive = env.workDir().resolve("sockethost-cds-" + jvm.feature() + ".jsa");
        String option = Files.exists(archive) ? "-XX:SharedArchiveFile=" : "-XX:ArchiveClassesAtExit=";
        return List.of(option + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * Java 25+: the launcher's AOT cache (JEP 483/514). {@code bin/sockethost} makes it in one step, with
     * {@code -XX:AOTCacheOutput} on the first run: at exit that JVM starts a child JVM that writes the cache,
     * which takes several seconds, more than the harness gives a stopping process before it kills it. So here
     * the first host process records ({@code -XX:AOTMode=record}, written at exit as quickly as a dynamic
     * archive) and the next start's preparation, which is not timed, creates the cache from the record: the
     * two steps that the one-step option runs for the launcher, and the same cache.
     */
    private static List<String> aheadOfTimeCache(Environment env, Jvm jvm) throws IOException {
        Path cache = env.workDir().resolve("sockethost-aot-" + jvm.feature() + ".aot");
        Path config = env.workDir().resolve("sockethost-aot-" + jvm.feature() + ".aotconf");
        if (!Files.exists(cache) && Files.exists(config)) {
            List<String> create = new java.util.ArrayList<>(List.of(jvm.java().toString(), "-XX:AOTMode=create",
                    "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + cache));
            create.addAll(moduleOptions(jvm));
            create.addAll(env.hostJvmOptions());
            create.addAll(List.of("-cp", env.hostLib().resolve("*").toString()));
            Path log = env.logDir().resolve("sockethost-aot-" + jvm.feature() + "-create.log");
            Process process = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    Files.deleteIfExists(cache); // record again on this start; see the log for why
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while creating the AOT cache", e);
            }
            Files.deleteIfExists(config);
        }
        if (Files.exists(cache)) {
            return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config, "-Xlog:aot=off", "-Xlog:cds=off");
    }

    private Map<String, Object> override(Environment env, PluginDescriptors.Server server, Service service, int port)
            throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        boolean target = server.name().equals(target(service));
        if (!target && !allServers) {
            fields.put("enabled", false);
            return fields;
        }
        if (server.inet()) {
            fields.put("address", "127.0.0.1:" + (target ? port : FreePorts.any()));
        }
        if (target) {
            Map<String, Object> concurrency = new LinkedHashMap<>();
            concurrency.put("mode", mode);
            concurrency.put("virtualThreads", virtualThreads);
            if (maxWorkers > 0) {
                concurrency.put(mode.equals("forking") ? "maxChildren" : "maxWorkers", maxWorkers);
            } else if (mode.equals("forking")) {
                concurrency.put("maxChildren", 256); // as Python's ForkingTCPServer peer: every connection served
            }
            if (mode.equals("forking")) {
                // Workers are JVMs: a fresh one per request (requestsPerChild 1) measures JVM start-up, not
                // serving, so by default they are reused, as Apache's prefork does, with a warm pool the size of
                // the client count; the fresh-worker row measures Python's model, a process per request.
                concurrency.put("requestsPerChild", requestsPerChild);
                concurrency.put("warmWorkers", 16);
            }
            fields.put("concurrency", concurrency);
            if (maxWorkers > 0) {
                // the load client is one address holding every connection: no per-client cap here
                fields.put("verify", Map.of("maxConnectionsPerClient", 0));
            }
        }
        if (server.name().equals("http-lite")) {
            // the run's document root; no access log line per request, as for every other server measured
            fields.put("settings", Map.of("root", env.docRoot().toString(), "accessLog", false));
            if (service == Service.HTTPS_FILE) {
                BenchCertificate certificate = BenchCertificate.of(env);
                fields.put("tls", Map.of("certificate", certificate.certificate().toString(),
                        "privateKey", certificate.privateKey().toString()));
            }
        }
        return fields;
    }
}
