package io.sockethost.core.concurrency;

import java.time.Duration;

import io.sockethost.core.config.ConcurrencyConfig;

/**
 * Runs the requests a server accepts, according to its concurrency mode. The server's accept thread calls
 * {@link #awaitCapacity}, then {@link #dispatch}; {@link #close} may come from any thread.
 */
public sealed interface RequestDispatcher permits InlineDispatcher, ThreadPerRequestDispatcher {

    /**
     * Waits until one more request may start, so that a saturated server leaves connections in the listen
     * backlog instead of accepting them into an unbounded queue.
     *
     * @return false if no capacity freed up within {@code max}
     */
    boolean awaitCapacity(Duration max) throws InterruptedException;

    /**
     * Runs one request. Must be preceded by a successful {@link #awaitCapacity}.
     *
     * @param work serves the request and releases its resources, never throws
     * @param request drained, then closed, if the server stops before {@code work} ends
     */
    void dispatch(Runnable work, RunningRequest request);

    /** Drains every running request (see {@link RunningRequest#drain()}), so that it can end on its own. */
    void drain();

    /** @return requests running now */
    int active();

    /**
     * Stops running new requests. Waits up to {@code deadline} for running ones if the concurrency block
     * says so ({@code blockOnClose} and not {@code daemonThreads}), then aborts what is left.
     *
     * @return true if every request finished on its own
     */
    boolean close(Duration deadline);

    /** Creates the dispatcher for a server. Forking servers are built elsewhere. */
    static RequestDispatcher create(String serverName, ConcurrencyConfig concurrency) {
        return switch (concurrency.mode()) {
            case SYNC -> new InlineDispatcher();
            case THREADING -> new ThreadPerRequestDispatcher(serverName, concurrency);
            case FORKING -> throw new IllegalArgumentException("forking is served by worker processes, not a dispatcher");
        };
    }
}
