package io.sockethost.plugins.httplite;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request on the logger {@value #LOGGER}, so operators can route or silence it on its own:
 * {@code <server> <client> "<method> <target> <version>" <status> <body bytes> <milliseconds>ms}, where the
 * time runs from the end of the request head to the last byte handed to the socket. What a refused request
 * did not reveal is {@code -}. One instance per connection.
 */
final class AccessLog {
    static final String LOGGER = "io.sockethost.plugins.httplite.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final boolean enabled;
    private final String server;
    private final String client;

    AccessLog(boolean enabled, String server, SocketAddress client) {
        this.enabled = enabled && log.isInfoEnabled();
        this.server = server;
        this.client = client instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(client);
    }

    void record(String method, String target, HttpVersion version, int status, long bytes, long startNanos) {
        if (!enabled) {
            return;
        }
        double millis = Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
        log.info("{} {} \"{} {} {}\" {} {} {}ms", server, client, method == null ? "-" : method,
                target == null ? "-" : target, version == null ? "-" : version, status, bytes, millis);
    }
}
