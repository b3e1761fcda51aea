package io.sockethost.core.concurrency;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

import io.sockethost.core.events.ServerEvents;

/**
 * How a server runs the requests it takes in: Python's {@code process_request}, the one seam between a
 * server's accept (or receive) loop and its concurrency. {@code sync} runs a request on the loop's thread
 * ({@link InlineDispatcher}), {@code threading} on a thread of its own ({@link ThreadPerRequestDispatcher}),
 * {@code forking} in a worker process (in the forking package). The loops never ask which one they have.
 *
 * <p>Lifecycle: {@link #open} once the server is bound; then, from the server's loop thread,
 * {@link #awaitCapacity} and {@link #dispatch} for each request; {@link #drain} and {@link #close} may come
 * from any thread. Implementations are thread-safe in that sense.
 */
public interface RequestDispatcher {

    /**
     * Prepares what the dispatcher needs once its server is bound (a forking server's workers need its
     * real address). Does nothing by default.
     *
     * @param bound the server's bound address
     * @throws IOException if the dispatcher cannot run requests; the server then does not start
     */
    default void open(SocketAddress bound) throws IOException {
    }

    /**
     * Reports what the dispatcher itself sees (a forking server's worker processes) to {@code events}. Called
     * before {@link #open}; does nothing by default.
     */
    default void observe(ServerEvents events) {
    }

    /**
     * Waits until one more request may start, so that a saturated server leaves connections in the listen
     * backlog instead of accepting them into an unbounded queue.
     *
     * @return false if no capacity freed up within {@code max}
     */
    boolean awaitCapacity(Duration max) throws InterruptedException;

    /**
     * Runs one request: serves it, or passes it on and closes it. Must be preceded by a successful
     * {@link #awaitCapacity}. Never throws: a request that cannot be run is closed and logged.
     */
    void dispatch(IncomingRequest request);

    /**
     * {@return whether requests run on the thread that calls {@link #dispatch}} A datagram server lets
     * request threads receive the next datagrams themselves only when they are not its loop's thread.
     */
    default boolean runsOnCallerThread() {
        return false;
    }

    /** Drains every running request (see {@link RunningRequest#drain()}), so that it can end on its own. */
    void drain();

    /** @return requests running now */
    int active();

    /**
     * Stops running new requests. Waits up to {@code deadline} for running ones if the concurrency block
     * says so ({@code blockOnClose} and not {@code daemonThreads}), then aborts what is left and releases
     * what the dispatcher owns (threads, worker processes).
     *
     * @return true if every request finished on its own
     */
    boolean close(Duration deadline);
}
