package io.sockethost.bench.load;

import java.nio.channels.SelectionKey;

/** One connection (or UDP client) of a client thread. Touched only by its {@link Worker}'s thread. */
abstract class Session {
    final Worker worker;
    /** When {@link #onDeadline} must run; {@link Long#MAX_VALUE} for never. */
    long deadline = Long.MAX_VALUE;

    Session(Worker worker) {
        this.worker = worker;
    }

    /** Opens the connection; in closed loop the first request follows as soon as it is connected. */
    abstract void open(long now);

    /** The selector reports the session's channel ready; I/O failures are the session's to count and recover from. */
    abstract void onReady(SelectionKey key, long now);

    /** The deadline passed. */
    abstract void onDeadline(long now);

    /** Starts a request whose latency is measured from {@code origin} (open loop only). */
    abstract void send(long origin, long now);

    abstract void close();

    /** When the request in flight started ({@link System#nanoTime()}), or -1 if none is. */
    abstract long pendingSince();

    final void setDeadline(long at) {
        deadline = at;
        worker.noteDeadline(at);
    }
}
