package io.sockethost.core.forking;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.StrictJson;

/**
 * Starts the worker JVMs of one server: {@code java <options> -cp <the host's class path> WorkerMain}, with
 * the worker's {@link WorkerSpec} as the first line of its stdin and its stdout and stderr pumped into the
 * host's log, prefixed with the server and the worker's pid: stdout at INFO, the worker's own log lines at
 * their level, other stderr output at WARN ({@link WorkerLogLevel}). Thread-safe.
 */
public final class WorkerLauncher {
    private static final Logger log = LoggerFactory.getLogger(WorkerLauncher.class);
    /** What HotSpot prints (on stdout) when {@code -XX:+ExitOnOutOfMemoryError} ends a worker. */
    static final String OOM_MARKER = "Terminating due to java.lang.OutOfMemoryError";
    /**
     * The worker's main class, by name: it builds its server through the assembly, a layer above this
     * package, which must not be imported from here (WorkerMainTest holds the name to the class).
     */
    public static final String WORKER_MAIN = "io.sockethost.core.worker.WorkerMain";
    /** A worker's Logback configuration, a resource beside this class, in the shape {@link WorkerLogLevel} reads. */
    static final String LOGBACK_CONFIGURATION = "io/sockethost/core/forking/worker-logback.xml";

    private final ServerConfig config;
    private final Path pluginJar;
    private final List<String> command;

    WorkerLauncher(ServerConfig config, Path pluginJar) {
        this.config = config;
        this.pluginJar = pluginJar;
        this.command = command(config.concurrency());
    }

    /**
     * The worker's command line. The defaults come first so that the descriptor's {@code jvmOptions} can
     * override them (HotSpot takes the last of repeated options).
     */
    static List<String> command(ConcurrencyConfig concurrency) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A worker must die of an OutOfMemoryError, not limp on with a handler's state half-built.
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // Start-up cost is paid per worker: the host's class archive (the JDK's, which Java maps by default,
        // when the host has none), one GC thread, and for workers that serve one request, no C2 compiler
        // they would never live long enough to profit from.
        cmd.addAll(SharedClassArchive.workerOptions(concurrency.jvmOptions()));
        cmd.add("-XX:+UseSerialGC");
        if (concurrency.requestsPerChild() == 1) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        // PF4J's start-up lines are news once, in the host's log; from every worker they are noise. Workers
        // otherwise log like the host: the same SLF4J simple-logger settings, which come after and so win.
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.pf4j=warn");
        // A worker that is handed connections loads junixsocket's native library: allowed, so that Java 22+
        // does not print its warning to every worker's stderr (the host's log).
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
            if (String.valueOf(p.getKey()).startsWith("org.slf4j.simpleLogger.")) {
                cmd.add("-D" + p.getKey() + "=" + p.getValue());
            }
        }
        // ...but in the one shape WorkerLogLevel reads, on stderr: the host's line has the time already, and
        // each worker line keeps its level in the host's log.
        cmd.add("-Dorg.slf4j.simpleLogger.logFile=System.err");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=false");
        cmd.add("-Dorg.slf4j.simpleLogger.levelInBrackets=false");
        // The same shape when Logback has taken slf4j-simple's place in lib/ (read by nobody otherwise).
        cmd.add("-Dlogback.configurationFile=" + LOGBACK_CONFIGURATION);
        cmd.addAll(concurrency.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WORKER_MAIN);
        return List.copyOf(cmd);
    }

    List<String> command() {
        return command;
    }

    /**
     * Starts a worker; it connects to {@code relaySocket} when it is ready.
     *
     * @param handOff whether the worker gets each client's connection itself, or its bytes relayed
     */
    Worker launch(long workerId, Path relaySocket, String boundAddress, boolean handOff) throws IOException {
        Process process = new ProcessBuilder(command).start();
        Worker worker = new Worker(workerId, process);
        try {
            WorkerSpec spec = WorkerSpec.of(workerId, relaySocket, config, pluginJar, boundAddress, handOff);
            OutputStream stdin = process.getOutputStream();
            stdin.write((StrictJson.MAPPER.writeValueAsString(spec) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IOException("server " + config.name() + ": worker pid " + process.pid() + " did not take its "
                    + "configuration: " + e.getMessage(), e);
        }
        pump(worker, false);
        pump(worker, true);
        return worker;
    }

    /** What a worker prints goes to the host's log: see the class comment for the levels. */
    private void pump(Worker worker, boolean stderr) {
        Process process = worker.process;
        String server = config.name();
        Level[] previous = {Level.WARN}; // the pump's own thread only
        OutputPump pump = new OutputPump(stderr ? process.getErrorStream() : process.getInputStream(), line -> {
            boolean oom = line.startsWith(OOM_MARKER);
            if (oom) {
                worker.outOfMemory = true;
            }
            Level level = oom ? Level.WARN : stderr ? WorkerLogLevel.of(line, previous[0]) : Level.INFO;
            previous[0] = level;
            log.atLevel(level).log("server {} worker pid {}: {}", server, process.pid(), line);
        });
        Thread thread = new Thread(pump, config.name() + "-worker-" + process.pid() + (stderr ? "-err" : "-out"));
        thread.setDaemon(true);
        thread.start();
    }
}
