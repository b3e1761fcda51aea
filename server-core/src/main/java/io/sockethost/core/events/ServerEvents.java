package io.sockethost.core.events;

/**
 * What one server reports as it serves, for metrics: the host installs an implementation before the server
 * opens ({@code SocketServer#observe}); every method has a do-nothing default and {@link #NONE} is used when
 * nobody observes.
 *
 * <p>Called on the serving threads, many at once, once or more per request: implementations must be
 * thread-safe, must not block, must not allocate per call and must not throw.
 */
public interface ServerEvents {
    /** Observes nothing; servers skip their counting wrappers when they see it. */
    ServerEvents NONE = new ServerEvents() { };

    /** A stream connection was accepted and passed the verify rules and limits. */
    default void connectionOpened() {
    }

    /** A connection counted by {@link #connectionOpened()} was closed. */
    default void connectionClosed() {
    }

    /** A client (a connection or a datagram) was turned away before a handler saw it. */
    default void refused(Refusal reason) {
    }

    /**
     * A handler ran for one request (a connection on a stream server, a datagram on a datagram server).
     *
     * @param nanos how long setup, handle and finish took together
     */
    default void served(long nanos) {
    }

    /** A handler step failed with an exception other than a client disconnect or a read timeout. */
    default void handlerFailed() {
    }

    /** Bytes read from clients. */
    default void bytesIn(long count) {
    }

    /** Bytes written to clients. */
    default void bytesOut(long count) {
    }

    /** A forking server started a worker process. */
    default void workerStarted() {
    }

    /**
     * A forking server's worker process exited.
     *
     * @param crashed whether the exit was unexpected (not a stop or a retirement asked for by the pool)
     */
    default void workerExited(boolean crashed) {
    }
}
