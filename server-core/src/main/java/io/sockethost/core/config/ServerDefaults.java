package io.sockethost.core.config;

import java.time.Duration;

import io.sockethost.api.Transport;

/**
 * The value of every optional server field that a descriptor and the overrides leave out: the one place
 * defaults live. {@link ServerConfigResolver} applies them; {@code sockethost config} and the README's
 * descriptor reference show them (a test holds the README to them).
 */
public final class ServerDefaults {
    public static final ConcurrencyMode MODE = ConcurrencyMode.THREADING;
    /** threading on platform threads: requests at once, each holding a thread of 60-100 KiB. */
    public static final int MAX_WORKERS_PLATFORM = 256;
    /** threading on virtual threads: requests at once; an idle one costs about 10 KiB. */
    public static final int MAX_WORKERS_VIRTUAL = 10_000;
    public static final boolean DAEMON_THREADS = false;
    public static final boolean BLOCK_ON_CLOSE = true;
    public static final int MAX_CHILDREN = 40;
    /** As Python's forking server: a fresh process per request. */
    public static final int REQUESTS_PER_CHILD = 1;
    public static final int WARM_WORKERS = 2;
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    /** Python's {@code request_queue_size} is 5; a JVM host serves far more clients at once. */
    public static final int REQUEST_QUEUE_SIZE = 128;
    public static final boolean NO_DELAY = true;
    public static final int MAX_PACKET_SIZE = 8192;
    public static final String SOCKET_MODE = "0660";
    public static final boolean ENABLED = true;
    public static final boolean REUSE_PORT = false;
    /** PROXY protocol: a load balancer sends its header at once; 3 s is HAProxy's own advice to receivers. */
    public static final Duration PROXY_HEADER_TIMEOUT = Duration.ofSeconds(3);
    private ServerDefaults() {
    }

    /**
     * Virtual threads where the runtime has them (Java 21+): a blocking handler then costs a parked
     * continuation instead of a thread, so thousands of idle connections fit, as in Helidon 4.
     */
    public static boolean virtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    /** threading: requests at once; past it, a new connection is turned away at once. */
    public static int maxWorkers(boolean virtualThreads) {
        return virtualThreads ? MAX_WORKERS_VIRTUAL : MAX_WORKERS_PLATFORM;
    }

    /**
     * Connections one address may hold at once under {@code threading}: half of what the server runs at
     * once, so that one client holding idle connections can never lock the others out. None under
     * {@code sync} and {@code forking}, where clients wait in the backlog for the one request or the free
     * child, as with Python's servers.
     */
    public static int maxConnectionsPerClient(ConcurrencyMode mode, int maxWorkers) {
        return mode == ConcurrencyMode.THREADING ? Math.max(1, maxWorkers / 2) : 0;
    }

    /**
     * SO_REUSEADDR: on for streams (a restarted server binds at once instead of waiting out TIME_WAIT), off
     * for datagrams, where it would let a second server bind the same port and take its datagrams.
     */
    public static boolean allowReuseAddress(Transport transport) {
        return transport.isStream();
    }

    /** forking: warm workers, never more than the children allowed. */
    public static int warmWorkers(int maxChildren) {
        return Math.min(WARM_WORKERS, maxChildren);
    }
}
