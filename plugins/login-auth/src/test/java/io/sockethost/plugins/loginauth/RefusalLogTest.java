package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RefusalLogTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RefusalLog log = new RefusalLog(now::get);

    @Test
    void logsTheFirstRefusalOfAnAddressThenOneAMinuteWithTheCountOfThoseLeftOut() {
        assertThat(log.admit("192.0.2.7")).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(log.admit("192.0.2.7")).isEqualTo(RefusalLog.QUIET);
        }
        assertThat(log.admit("198.51.100.1")).as("another address has its own minute").isZero();
        now.addAndGet(RefusalLog.INTERVAL_NANOS - 1);
        assertThat(log.admit("192.0.2.7")).as("still within the minute").isEqualTo(RefusalLog.QUIET);
        now.addAndGet(1);
        assertThat(log.admit("192.0.2.7")).as("a minute on: logged, with the 6 left out").isEqualTo(6);
        assertThat(log.admit("192.0.2.7")).isEqualTo(RefusalLog.QUIET);
    }

    @Test
    void forgetsEveryAddressWhenItHoldsItsMaximum() {
        for (int i = 0; i < RefusalLog.MAX_ADDRESSES; i++) {
            assertThat(log.admit("10.0." + (i >> 8) + "." + (i & 255))).isZero();
        }
        assertThat(log.admit("10.0.0.0")).as("still held").isEqualTo(RefusalLog.QUIET);
        assertThat(log.admit("203.0.113.9")).as("a new address past the maximum").isZero();
        assertThat(log.admit("10.0.0.0")).as("forgotten, so logged again").isZero();
    }
}
