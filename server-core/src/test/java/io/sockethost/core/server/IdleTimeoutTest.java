package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;

/** The descriptor's {@code timeout} in a running server: {@code handleTimeout} after that long without a request. */
@Timeout(30)
class IdleTimeoutTest {

    private static final class CountingHooks implements ServerHooks {
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicInteger turns = new AtomicInteger();

        @Override
        public void handleTimeout(ServerContext server) {
            timeouts.incrementAndGet();
        }

        @Override
        public void serviceActions(ServerContext server) {
            turns.incrementAndGet();
        }
    }

    @Test
    void anIdleServerCallsHandleTimeoutRepeatedly() throws Exception {
        CountingHooks hooks = new CountingHooks();
        try (TestServers.Running running = TestServers.stream(
                TestServers.config("{\"address\": \"127.0.0.1:0\", \"timeout\": 0.1, \"pollInterval\": 0.02}"),
                StreamServerTest.Echo::new, hooks)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (hooks.timeouts.get() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(hooks.timeouts.get()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void withoutTimeoutTheHookNeverRuns() throws Exception {
        CountingHooks hooks = new CountingHooks();
        try (TestServers.Running running = TestServers.stream(
                TestServers.config("{\"address\": \"127.0.0.1:0\", \"pollInterval\": 0.01}"), StreamServerTest.Echo::new, hooks)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (hooks.turns.get() < 30 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(hooks.turns.get()).as("serve loop turns").isGreaterThanOrEqualTo(30);
        }
        assertThat(hooks.timeouts.get()).isZero();
    }
}
