package io.sockethost.core.server;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the connections of one server whose write has blocked for longer than the server's
 * {@code writeTimeout}. A client that stops reading would otherwise hold its worker for as long as it stays
 * connected: TCP keeps probing a zero window as long as the peer answers. Writes themselves stay plain
 * blocking system calls; a daemon thread of the server's own, started with the first connection it watches,
 * looks every quarter of the timeout (10 ms to 1 s) and closes what it finds stuck, which ends the write
 * with an {@link java.nio.channels.AsynchronousCloseException}. Thread-safe.
 */
final class WriteWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteWatchdog.class);

    private final String serverName;
    private final Duration timeout;
    private final Set<StreamConnection> watched = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer; // guarded by this
    private boolean closed; // guarded by this

    WriteWatchdog(String serverName, Duration timeout) {
        this.serverName = serverName;
        this.timeout = timeout;
    }

    void watch(StreamConnection connection) {
        watched.add(connection);
        start();
    }

    void forget(StreamConnection connection) {
        watched.remove(connection);
    }

    private synchronized void start() {
        if (timer != null || closed) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, serverName + "-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::look, period, period, TimeUnit.MILLISECONDS);
    }

    private void look() {
        long now = System.nanoTime();
        for (StreamConnection connection : watched) {
            long since = connection.writingSince();
            if (since != 0 && now - since > timeout.toNanos()) {
                watched.remove(connection);
                log.info("server {}: client {} took nothing of a reply for {} ms (writeTimeout); closing the connection",
                        serverName, io.sockethost.core.config.Addresses.format(connection.clientAddress()), timeout.toMillis());
                try {
                    connection.close();
                } catch (IOException | RuntimeException e) {
                    log.debug("server {}: closing a stuck connection", serverName, e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
