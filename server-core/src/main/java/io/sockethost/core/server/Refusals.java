package io.sockethost.core.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes refused clients visible without letting one of them flood the log: at most one INFO line per
 * server, client address and minute, which says how many further refusals the previous minute hid. A
 * client's address is escaped before it is logged (a Unix client's path is text it chose). Thread-safe:
 * called by a server's accepting or receiving threads.
 */
final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** A flood from many addresses must not grow the table without bound; past this, old entries go. */
    private static final int MAX_TRACKED = 4096;

    private final String server;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** The current minute of one client: when its line was logged and how many refusals were not. */
    private static final class Window {
        long loggedAt;
        int hidden;

        Window(long loggedAt) {
            this.loggedAt = loggedAt;
        }
    }

    Refusals(String server) {
        this(server, System::nanoTime);
    }

    Refusals(String server, LongSupplier clock) {
        this.server = server;
        this.clock = clock;
    }

    /**
     * Notes that {@code client} was refused.
     *
     * @param reason what refused it, e.g. {@code verify.maxConnectionsPerClient (4)}
     * @return the INFO line logged, or {@code null} if this refusal was only counted
     */
    String refused(SocketAddress client, String reason) {
        String key = escape(addressOf(client));
        long now = clock.getAsLong();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(w -> now - w.loggedAt >= WINDOW_NANOS);
        }
        int hidden = -1;
        Window window = windows.computeIfAbsent(key, k -> new Window(now - WINDOW_NANOS));
        synchronized (window) {
            if (now - window.loggedAt >= WINDOW_NANOS) {
                hidden = window.hidden;
                window.loggedAt = now;
                window.hidden = 0;
            } else {
                window.hidden++;
            }
        }
        if (hidden < 0) {
            log.debug("server {}: refused client {}: {}", server, key, reason);
            return null;
        }
        String line = "server " + server + ": refused client " + key + ": " + reason + (hidden == 0 ? ""
                : " (and " + hidden + " more refusal(s) of this client not logged in the minute before)");
        log.info(line);
        return line;
    }

    /** The address without the port: a client opens each connection from a new port. */
    private static String addressOf(SocketAddress client) {
        if (client instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(client);
    }

    /** Control characters and non-ASCII as {@code \xNN} / {@code \\uNNNN}, so a line stays one line of plain text. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
