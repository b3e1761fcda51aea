package io.sockethost.launcher;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;

import io.sockethost.core.host.Host;
import io.sockethost.core.server.SocketServer;

/**
 * What the signals do to a running host: SIGTERM and SIGINT ask for a stop (the main thread then stops the
 * host), a second one exits at once with {@link ExitCodes#FAILURE}; SIGHUP reloads, one reload at a time, on
 * a thread of its own. Installed before the host exists, so that a stop requested while it loads or starts
 * is honoured as soon as it can be; {@link #reload()} is also how {@code host.watchPlugins} reloads.
 * Thread-safe.
 */
final class HostControl {
    private final Logger log;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger stopSignals = new AtomicInteger();
    private final AtomicReference<Host> host = new AtomicReference<>();
    /** One thread: reloads run one after another, never on the signal thread. */
    private final ExecutorService reloads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sockethost-reload");
        t.setDaemon(true);
        return t;
    });

    HostControl(Logger log) {
        this.log = log;
    }

    void install() {
        Set<String> handled = Signals.install(this::onStopSignal, this::onReloadSignal);
        if (!handled.isEmpty() && !handled.contains("HUP")) {
            log.warn("SIGHUP was ignored when this process started (under nohup?) and stays ignored: 'sockethost reload'"
                    + " cannot reach this host; start it without nohup, or set host.watchPlugins to reload on changes");
        }
        if (!handled.contains("TERM")) {
            // Without sun.misc.Signal the JVM's own handling ends it; a shutdown hook still stops in order.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Host h = host.get();
                if (h != null) {
                    h.stop();
                }
            }, "sockethost-shutdown-hook"));
        }
    }

    /** From now on a stop signal reaches {@code h} at once (it stops starting servers). */
    void attach(Host h) {
        host.set(h);
        if (stopRequested.getCount() == 0) {
            h.requestStop();
        }
    }

    /** Returns once a stop was requested. */
    void awaitStopRequest() {
        boolean interrupted = false;
        while (stopRequested.getCount() > 0) {
            try {
                stopRequested.await();
            } catch (InterruptedException e) {
                interrupted = true; // only a stop ends the host
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void onStopSignal() {
        if (stopSignals.incrementAndGet() > 1) {
            log.warn("second signal: exiting without waiting for running requests");
            removeSocketFiles(host.get());
            Runtime.getRuntime().halt(ExitCodes.FAILURE);
        }
        stopRequested.countDown();
        Host h = host.get();
        if (h != null) {
            h.requestStop();
        }
    }

    private void onReloadSignal() {
        if (host.get() == null) {
            log.warn("SIGHUP ignored: the host is still loading");
            return;
        }
        reload();
    }

    /** Reloads the host on the reload thread, after any reload already asked for. */
    void reload() {
        Host h = host.get();
        reloads.execute(() -> {
            try {
                h.reload();
            } catch (RuntimeException e) {
                log.error("reload failed unexpectedly", e);
            }
        });
    }

    /** A forced exit skips the servers' close, which would remove their socket files; do it here. */
    private void removeSocketFiles(Host h) {
        if (h == null) {
            return;
        }
        for (SocketServer server : h.openServers()) {
            if (server.config().address() instanceof UnixDomainSocketAddress unix) {
                try {
                    Files.deleteIfExists(unix.getPath());
                } catch (IOException e) {
                    log.warn("server {}: cannot remove socket file {}: {}", server.config().name(), unix.getPath(), e.toString());
                }
            }
        }
    }
}
