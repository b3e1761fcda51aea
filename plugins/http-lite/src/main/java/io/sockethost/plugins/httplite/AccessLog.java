package io.sockethost.plugins.httplite;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * One INFO line per request on the logger {@value #LOGGER}, so operators can route or silence it on its own:
 * {@code <server> <client> "<method> <target> <version>" <status> <body bytes> <milliseconds>ms}, where the
 * time runs from the end of the request head to the last byte handed to the socket. What a refused request
 * did not reveal is {@code -}. Client text is escaped ({@link LogText}), so {@code "} and {@code \} inside
 * the quoted request are {@code \"} and {@code \\}.
 *
 * <p>Lines are not written on the request's thread: each server has an {@link AsyncLogWriter} that writes
 * them within a second, in order, and drops (and counts) lines rather than make a request wait when too many
 * are waiting. One instance per connection; the writer is the server's, made and closed by
 * {@link HttpLiteLifecycle}.
 */
final class AccessLog {
    static final String LOGGER = "io.sockethost.plugins.httplite.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    /** One request, formatted on the writer's thread. */
    record Entry(String server, String client, String method, String target, HttpVersion version, int status,
            long bytes, long nanos) {
        /** Roughly the characters of the line. */
        int weight() {
            return 64 + server.length() + (target == null ? 0 : target.length());
        }

        String format() {
            double millis = Math.round(nanos / 10_000.0) / 100.0;
            return server + " " + client + " \"" + (method == null ? "-" : LogText.escape(method)) + " "
                    + (target == null ? "-" : LogText.escape(target)) + " " + (version == null ? "-" : version) + "\" "
                    + status + " " + bytes + " " + millis + "ms";
        }
    }

    private final AsyncLogWriter<Entry> writer;
    private final String server;
    private final String client;

    /** @param writer the server's writer, or {@code null} when the access log is off */
    AccessLog(AsyncLogWriter<Entry> writer, String server, SocketAddress client) {
        this.writer = writer != null && log.isInfoEnabled() ? writer : null;
        this.server = server;
        this.client = client instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(client);
    }

    /** @return a new writer for a server's access log, which its lifecycle closes when the server stops */
    static AsyncLogWriter<Entry> writer(String serverName) {
        // Loads every class a line needs now: the writer may write the last lines after the host has
        // stopped and closed the plugin's class loader, which can then load nothing more.
        new Entry(serverName, "-", "GET", "/\"", HttpVersion.HTTP_1_1, 200, 0, 0).format();
        return new AsyncLogWriter<>("http-lite-access-log-" + serverName, entry -> log.info(entry.format()), Entry::weight,
                AsyncLogWriter.Limits.DEFAULT);
    }

    void record(String method, String target, HttpVersion version, int status, long bytes, long startNanos) {
        if (writer != null) {
            writer.offer(new Entry(server, client, method, target, version, status, bytes, System.nanoTime() - startNanos));
        }
    }
}
