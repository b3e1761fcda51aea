package io.sockethost.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The validated {@code concurrency} block of a server.
 *
 * @param mode sync, threading or forking
 * @param maxWorkers threading: most requests served at once; more wait in the listen backlog
 * @param virtualThreads threading: use virtual threads when the runtime has them (Java 21+)
 * @param daemonThreads threading: worker threads do not keep the JVM alive
 * @param blockOnClose close waits for running requests (up to the host's shutdown deadline)
 * @param maxChildren forking: most worker processes at once
 * @param requestsPerChild forking: requests a worker serves before it is replaced (1 = a fresh process each,
 *                         0 = no limit)
 * @param warmWorkers forking: idle workers kept started ahead of demand
 * @param requestTimeout forking: a request running longer is killed with its worker ({@code null} = none)
 * @param jvmOptions forking: extra options for the worker JVMs
 */
public record ConcurrencyConfig(
        ConcurrencyMode mode,
        int maxWorkers,
        boolean virtualThreads,
        boolean daemonThreads,
        boolean blockOnClose,
        int maxChildren,
        int requestsPerChild,
        int warmWorkers,
        Duration requestTimeout,
        List<String> jvmOptions) {

    public ConcurrencyConfig {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** A short description for the startup line, e.g. {@code threading(max 200)}. */
    public String summary() {
        return switch (mode) {
            case SYNC -> "sync";
            case THREADING -> "threading(max " + maxWorkers + (virtualThreads ? ", virtual" : "") + ")";
            case FORKING -> "forking(max " + maxChildren + ", " + (requestsPerChild == 0 ? "no limit" : requestsPerChild)
                    + " per child, " + warmWorkers + " warm)";
        };
    }
}
