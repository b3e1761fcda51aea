package io.sockethost.plugins.loginauth;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Waits for a condition by asking it again and again until a deadline. */
final class Poll {
    /** Between tries, so that a condition that costs a connection and a log line does not flood either. */
    private static final Duration INTERVAL = Duration.ofMillis(100);

    /** A condition that may fail with an exception, which fails the poll. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {
    }

    static void until(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("condition not met within " + timeout);
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }
}
