package io.sockethost.core.concurrency;

import java.io.Closeable;
import java.time.Duration;

/** {@code sync}: the request runs on the accept thread, so the next one waits in the backlog. */
public final class InlineDispatcher implements RequestDispatcher {

    @Override
    public boolean awaitCapacity(Duration max) {
        return true;
    }

    @Override
    public void dispatch(Runnable work, Closeable abort) {
        work.run();
    }

    @Override
    public int active() {
        return 0;
    }

    @Override
    public boolean close(Duration deadline) {
        return true;
    }
}
