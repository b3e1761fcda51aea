package io.sockethost.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.host.Host;
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
                + "Ctrl-C exits at once. SIGHUP (or 'sockethost reload') re-reads conf/ and plugins/.",
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING, exitCodeList = {
            "0:stopped cleanly by SIGTERM or Ctrl-C", "1:unexpected failure, or forced by a second signal",
            "2:usage error", "3:invalid configuration (every problem is printed)", "4:a server could not bind its address"})
final class RunCommand extends HostCommand {
    private HostControl control;
    private Operations operations;

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        PrintWriter err = err();
        long started = System.nanoTime();
        // Signals first: a SIGTERM at any moment from here on is an orderly stop, also while plugins load or
        // servers start.
        control = new HostControl(log);
        control.install();
        operations = Operations.begin(); // operations: the metrics registry is made meanwhile
        Host host;
        try (Inspection inspection = inspect()) {
            if (!inspection.reportForUse(err, false)) {
                return ExitCodes.CONFIG;
            }
            host = inspection.takeHost();
        }
        PidFile pidFile = new PidFile(host.layout().home());
        Thread exitWatch = ExitWatch.install(() -> {
            host.abort();
            pidFile.remove();
        });
        try {
            control.attach(host);
            host.addListener(new ConfigWatch(host, control::reload, log));
            host.addListener(operations.hostListener()); // operations: RELOADING=1/READY=1, reload counts
            return serve(host, pidFile, log, err, started);
        } finally {
            ExitWatch.uninstall(exitWatch);
        }
    }

    private int serve(Host host, PidFile pidFile, Logger log, PrintWriter err, long started) throws IOException {
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
        if (!host.stopRequested()) {
            pidFile.write();
            operations.serving(); // operations: READY=1
            log.info("sockethost started {} server(s) from {} plugin(s) in {} ms ({} ms since the JVM started)",
                    host.servers().size(), host.plugins().plugins().size(), (System.nanoTime() - started) / 1_000_000,
                    jvmUptimeMillis());
        }
        try {
            control.awaitStopRequest();
            log.info("stopping: no new requests; waiting up to {} s for running ones",
                    host.settings().shutdownTimeout().toSeconds());
            operations.stopping(); // operations: STOPPING=1, /health 503
            boolean clean = host.stop();
            log.info(clean ? "stopped" : "stopped; some requests were cut off at the deadline");
        } finally {
            operations.close(); // operations
            pidFile.remove();
        }
        return ExitCodes.OK;
    }

    /** The JVM's own uptime: the process may be older (a shell that exec'd java after other work). */
    private static long jvmUptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }
}
