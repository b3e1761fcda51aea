package io.sockethost.core.concurrency;

import java.io.Closeable;

/**
 * What a dispatcher may do to a request still running when its server stops: first {@link #drain()} it
 * (the handler sees the end of its input and can finish what it is doing), then, past the deadline,
 * {@link #close()} it. Both may be called from any thread, and more than once.
 */
public interface RunningRequest extends Closeable {

    /** Signals that no further input will be read; does nothing by default. */
    default void drain() {
    }
}
