package io.sockethost.forking;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Worker processes as the operating system sees them, through {@link ProcessHandle}. */
final class Workers {
    private static final String WORKER_MAIN = io.sockethost.core.forking.WorkerLauncher.WORKER_MAIN;

    private Workers() {
    }

    /** @return the pids of the live worker processes among the descendants of {@code root} */
    static List<Long> under(ProcessHandle root) {
        return root.descendants().filter(ProcessHandle::isAlive).filter(Workers::isWorker).map(ProcessHandle::pid).toList();
    }

    /** @return the pids of the live worker processes started by this JVM (by an in-process host) */
    static List<Long> ofThisJvm() {
        return under(ProcessHandle.current());
    }

    static boolean isWorker(ProcessHandle process) {
        return process.info().arguments().map(List::of).map(args -> args.contains(WORKER_MAIN)).orElse(false);
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Waits until every process has exited.
     *
     * @throws AssertionError naming those still alive after {@code timeout}
     */
    static void awaitExit(Collection<Long> pids, Duration timeout) throws Exception {
        CompletableFuture<?>[] exits = pids.stream().map(ProcessHandle::of).flatMap(Optional::stream)
                .map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("worker processes still alive after " + timeout + ": "
                    + pids.stream().filter(Workers::isAlive).toList());
        }
    }
}
