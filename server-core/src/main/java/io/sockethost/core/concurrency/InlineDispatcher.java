package io.sockethost.core.concurrency;

import java.time.Duration;

/** {@code sync}: the request runs on the accept thread, so the next one waits in the backlog. */
public final class InlineDispatcher implements RequestDispatcher {
    /** The request being served, so that a stop from another thread can drain or close it. */
    private volatile RunningRequest current;

    @Override
    public boolean awaitCapacity(Duration max) {
        return true;
    }

    @Override
    public void dispatch(IncomingRequest request) {
        current = request;
        try {
            request.serve();
        } finally {
            current = null;
        }
    }

    @Override
    public boolean runsOnCallerThread() {
        return true;
    }

    @Override
    public void drain() {
        RunningRequest request = current;
        if (request != null) {
            request.drain();
        }
    }

    @Override
    public int active() {
        return current == null ? 0 : 1;
    }

    /** The serve loop runs the request, so waiting for it is the loop's business; past the deadline it is closed. */
    @Override
    public boolean close(Duration deadline) {
        RunningRequest request = current;
        if (request == null) {
            return true;
        }
        try {
            request.close();
        } catch (java.io.IOException e) {
            // closing an aborted request: nothing more to do
        }
        return false;
    }
}
