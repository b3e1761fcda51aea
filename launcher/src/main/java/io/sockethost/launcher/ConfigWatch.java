package io.sockethost.launcher;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

import io.sockethost.core.config.OverrideFile;
import io.sockethost.core.host.Host;
import io.sockethost.core.host.HostLayout;
import io.sockethost.core.host.HostListener;

/**
 * {@code host.watchPlugins}: watches {@code plugins/} for jars and {@code conf/} and {@code conf/servers/}
 * for JSON files, and asks for a reload once changes have been quiet for {@link #QUIET_MILLIS} (a jar
 * being copied, an editor saving twice: one reload). Follows the setting across reloads: it starts when
 * the host starts or a reload turns the setting on, and ends when a reload turns it off or the host stops.
 * The watching runs on a daemon thread of its own; the listener methods are thread-safe.
 */
final class ConfigWatch implements HostListener {
    /** How long no change must be seen before the reload. */
    static final long QUIET_MILLIS = 1000;

    private final Host host;
    private final Runnable reload;
    private final Logger log;
    private WatchService watch;
    private Thread thread;

    /**
     * @param reload asks for a reload; must not block (the host's reloads run one at a time elsewhere)
     */
    ConfigWatch(Host host, Runnable reload, Logger log) {
        this.host = host;
        this.reload = reload;
        this.log = log;
    }

    @Override
    public void started(int servers) {
        follow();
    }

    @Override
    public void reloaded(boolean applied, int servers) {
        follow();
    }

    @Override
    public void stopping() {
        end();
    }

    private synchronized void follow() {
        boolean wanted = host.settings().watchPlugins() && !host.stopRequested();
        if (wanted && thread == null) {
            begin();
        } else if (!wanted && thread != null) {
            end();
        }
    }

    private synchronized void begin() {
        HostLayout layout = host.layout();
        try {
            watch = FileSystems.getDefault().newWatchService();
            register(layout.pluginsDir());
            register(layout.confDir());
            register(layout.confDir().resolve(OverrideFile.SERVERS_DIR));
        } catch (IOException e) {
            log.warn("host.watchPlugins: cannot watch {} and {}: {}; reload with SIGHUP instead", layout.pluginsDir(),
                    layout.confDir(), e.toString());
            closeQuietly();
            return;
        }
        thread = new Thread(this::loop, "sockethost-watch");
        thread.setDaemon(true);
        thread.start();
        log.info("host.watchPlugins: watching {} and {} for changes", layout.pluginsDir(), layout.confDir());
    }

    private synchronized void end() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (IOException e) {
            log.debug("closing the watch service: {}", e.toString());
        }
        watch = null;
    }

    private void register(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        }
    }

    private void loop() {
        WatchService service;
        synchronized (this) {
            service = watch;
        }
        try {
            while (!Thread.currentThread().isInterrupted()) {
                boolean relevant = drain(service.take());
                // wait for quiet: a copy in progress or a burst of saves gives one reload, after the last change
                for (WatchKey key = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS); key != null;
                        key = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) {
                    relevant |= drain(key);
                }
                if (relevant) {
                    register(host.layout().confDir().resolve(OverrideFile.SERVERS_DIR)); // it may be new
                    log.info("host.watchPlugins: {} or {} changed; reloading", host.layout().pluginsDir(), host.layout().confDir());
                    reload.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // ended by end()
        } catch (IOException e) {
            log.warn("host.watchPlugins: stopped watching: {}", e.toString());
        }
    }

    /** @return whether the key's events touch a plugin or a JSON file, or were too many to tell */
    private static boolean drain(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
            } else if (event.context() instanceof Path name) {
                relevant |= isWatched(name.toString());
            }
        }
        key.reset();
        return relevant;
    }

    /** @return whether a change to this file name in {@code plugins/} or {@code conf/} calls for a reload */
    static boolean isWatched(String file) {
        return file.endsWith(".jar") || file.endsWith(".zip") || file.endsWith(".json")
                || file.equals(OverrideFile.SERVERS_DIR);
    }
}
