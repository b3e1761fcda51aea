package io.sockethost.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.host.Host;
import io.sockethost.core.server.SocketServer;
import io.sockethost.operations.Operations;
import picocli.CommandLine.Command;

/**
 * {@code sockethost run}: starts every enabled server in the foreground until SIGTERM or Ctrl-C, then
 * stops accepting, lets running requests finish up to the shutdown deadline and exits 0. A second signal
 * during that wait exits at once with {@link ExitCodes#FAILURE}.
 *
 * <p>The logger is looked up in {@link #call()}, not in a static field: picocli makes this object before
 * the command line is parsed, and the logging configuration from {@code conf/} must be in place before
 * SLF4J makes its first logger.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "Start every enabled server in the foreground (the default command). SIGTERM or Ctrl-C "
                + "stops accepting, lets running requests finish up to host.shutdownTimeout and exits 0; a second "
                + "Ctrl-C exits at once.",
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING, exitCodeList = {
            "0:stopped cleanly by SIGTERM or Ctrl-C", "1:unexpected failure, or forced by a second signal",
            "2:usage error", "3:invalid configuration (every problem is printed)", "4:a server could not bind its address"})
final class RunCommand extends HostCommand {

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        PrintWriter err = err();
        long started = System.nanoTime();
        Operations operations = Operations.begin(); // operations: metrics registry made meanwhile
        Host host;
        try (Inspection inspection = Inspection.of(layout())) {
            if (!inspection.reportForUse(err)) {
                return ExitCodes.CONFIG;
            }
            host = inspection.takeHost();
        }
        try {
            operations.attach(host); // operations: metrics, admin listener
            host.start();
        } catch (IOException e) {
            err.println("sockethost: " + e.getMessage());
            err.flush();
            operations.close(); // operations
            host.close();
            return ExitCodes.BIND;
        }
        // Handlers first: whoever waits for the summary line may signal right after it.
        CountDownLatch stopped = onSignalStop(host, operations, log);
        operations.serving(); // operations: READY=1
        log.info("sockethost started {} server(s) from {} plugin(s) in {} ms ({} ms since the JVM started)",
                host.servers().size(), host.plugins().plugins().size(), (System.nanoTime() - started) / 1_000_000,
                jvmUptimeMillis());
        stopped.await();
        return ExitCodes.OK;
    }

    /** The JVM's own uptime: the process may be older (a shell that exec'd java after other work). */
    private static long jvmUptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** A forced exit skips the servers' close, which would remove their socket files; do it here. */
    private static void removeSocketFiles(Host host, Logger log) {
        for (SocketServer server : host.servers()) {
            if (server.config().address() instanceof UnixDomainSocketAddress unix) {
                try {
                    Files.deleteIfExists(unix.getPath());
                } catch (IOException e) {
                    log.warn("server {}: cannot remove socket file {}: {}", server.config().name(), unix.getPath(), e.toString());
                }
            }
        }
    }

    /** Makes SIGTERM/SIGINT stop the host; the latch opens once it has stopped. */
    private static CountDownLatch onSignalStop(Host host, Operations operations, Logger log) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        Runnable onSignal = () -> {
            if (signals.incrementAndGet() > 1) {
                log.warn("second signal: exiting without waiting for running requests");
                removeSocketFiles(host, log);
                Runtime.getRuntime().halt(ExitCodes.FAILURE);
            }
            // Not on the signal thread: a second signal must be handled while the first stop is waiting.
            Thread stopper = new Thread(() -> {
                log.info("stopping: no new requests; waiting up to {} s for running ones",
                        host.settings().shutdownTimeout().toSeconds());
                operations.stopping(); // operations: STOPPING=1
                boolean clean = host.stop();
                operations.close(); // operations
                log.info(clean ? "stopped" : "stopped; some requests were cut off at the deadline");
                stopped.countDown();
            }, "sockethost-shutdown");
            stopper.start();
        };
        if (!Signals.install(onSignal)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                operations.stopping(); // operations: STOPPING=1
                host.stop();
                stopped.countDown();
            }, "sockethost-shutdown-hook"));
        }
        return stopped;
    }
}
