package io.sockethost.bench.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.sockethost.bench.Environment;

/**
 * A server the benchmark can start as a process of its own. Implementations say why they cannot run here
 * (a tool or JDK missing) instead of failing, so a run always covers what the machine offers.
 */
public interface Peer {
    /** A stable key for the JSON and the targets ("sockethost-threading", "netty"). */
    String id();

    /** What the tables show. */
    String name();

    Kind kind();

    /** Why this peer cannot serve {@code service} here, or empty. */
    Optional<String> unavailable(Environment env, Service service);

    /**
     * Writes whatever the process needs into {@code dir} and says how to start it on {@code port} of 127.0.0.1.
     */
    Launch prepare(Environment env, Service service, int port, Path dir) throws IOException;

    /**
     * Whether the server starts processes as connections arrive (a forking server), so that the first load
     * at a new connection count also measures those starts. Such servers get a settling run before each point.
     */
    default boolean startsProcessesUnderLoad() {
        return false;
    }

    /** Whether a failure to start means the feature is not there yet (a skip), rather than a failure. */
    default boolean startFailureIsSkip() {
        return false;
    }
}
