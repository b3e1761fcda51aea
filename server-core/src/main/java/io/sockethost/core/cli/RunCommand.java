package io.sockethost.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.host.Host;
import io.sockethost.core.plugin.PluginFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sockethost run}: starts every enabled server in the foreground until SIGTERM or Ctrl-C, then
 * stops accepting, lets running requests finish up to the shutdown deadline and exits 0. A second signal
 * during that wait exits at once.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start every enabled server in the foreground (the default).")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    HostOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        long started = System.nanoTime();
        Host host;
        try {
            host = Host.load(options.layout());
        } catch (ConfigException e) {
            err.println("sockethost: invalid configuration:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return ExitCodes.CONFIG;
        }
        for (PluginFailure failure : host.plugins().failures()) {
            err.println("sockethost: skipped plugin " + failure.path().getFileName() + ": " + failure.reason());
        }
        try {
            host.start();
        } catch (IOException e) {
            err.println("sockethost: " + e.getMessage());
            err.flush();
            host.close();
            return ExitCodes.BIND;
        }
        log.info("sockethost started {} server(s) from {} plugin(s) in {} ms", host.servers().size(),
                host.plugins().plugins().size(), (System.nanoTime() - started) / 1_000_000);
        awaitSignal(host);
        return ExitCodes.OK;
    }

    /** Blocks until SIGTERM/SIGINT has stopped the host. */
    private static void awaitSignal(Host host) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        Runnable onSignal = () -> {
            if (signals.incrementAndGet() > 1) {
                log.warn("second signal: exiting without waiting for running requests");
                Runtime.getRuntime().halt(ExitCodes.FAILURE);
            }
            Thread stopper = new Thread(() -> {
                log.info("stopping: no new requests; waiting up to {} s for running ones",
                        host.settings().shutdownTimeout().toSeconds());
                boolean clean = host.stop();
                log.info(clean ? "stopped" : "stopped; some requests were cut off at the deadline");
                stopped.countDown();
            }, "sockethost-shutdown");
            stopper.start();
        };
        if (!Signals.install(onSignal)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                host.stop();
                stopped.countDown();
            }, "sockethost-shutdown-hook"));
        }
        stopped.await();
    }
}
