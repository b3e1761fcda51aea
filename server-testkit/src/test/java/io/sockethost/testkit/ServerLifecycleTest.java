package io.sockethost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.SettingsProblems;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.config.ConfigException;

/**
 * A plugin keeps per-server state in its {@link ServerLifecycle}: made before the server accepts, handed to
 * handlers through the context, released after the server drained; its settings are checked before binding.
 */
@Timeout(30)
class ServerLifecycleTest {
    record CounterSettings(String prefix, int start) {
        CounterSettings {
            if (start < 0) {
                throw new IllegalArgumentException("start must be 0 or more");
            }
        }
    }

    /** Per-server state: a counter that handlers share without statics. */
    static final class Counter {
        final AtomicInteger next;
        final String prefix;
        volatile boolean released;

        Counter(CounterSettings settings) {
            this.next = new AtomicInteger(settings.start());
            this.prefix = settings.prefix();
        }
    }

    /** Records the order of calls, so the test can check start before the first request and stop after the last. */
    static final class CounterLifecycle implements ServerLifecycle<Counter> {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Class<?> settingsType() {
            return CounterSettings.class;
        }

        @Override
        public void validate(ServerContext server, SettingsProblems problems) {
            if (server.settings(CounterSettings.class).prefix() == null) {
                problems.error("prefix", "missing; give the text each answer starts with");
            }
        }

        @Override
        public Counter start(ServerContext server) {
            events.add("start");
            return new Counter(server.settings(CounterSettings.class));
        }

        @Override
        public void stop(ServerContext server, Counter state) {
            state.released = true;
            events.add("stop");
        }
    }

    static StreamHandler counting(List<String> events) {
        return request -> {
            Counter counter = request.server().state(Counter.class);
            events.add("request");
            request.output().write((counter.prefix + counter.next.getAndIncrement() + "\n").getBytes(StandardCharsets.UTF_8));
        };
    }

    @Test
    void stateIsMadeBeforeTheFirstRequestSharedByAllAndReleasedAfterStop() throws Exception {
        CounterLifecycle lifecycle = new CounterLifecycle();
        Counter seen;
        try (TestServer server = TestServer.stream(() -> counting(lifecycle.events)).lifecycle(lifecycle)
                .declaration("{\"settings\": {\"prefix\": \"n=\", \"start\": 5}}").start()) {
            for (int expected = 5; expected < 8; expected++) {
                try (StreamClient client = StreamClient.connect(server.address())) {
                    assertThat(client.receiveLine()).isEqualTo("n=" + expected);
                }
            }
            seen = server.context().state(Counter.class);
            assertThat(seen.released).isFalse();
        }
        assertThat(seen.released).isTrue();
        assertThat(lifecycle.events).containsExactly("start", "request", "request", "request", "stop");
    }

    /** A handler without a lifecycle may declare its settings type itself. */
    public static final class Greeter implements StreamHandler, io.sockethost.api.DeclaresSettings {
        @Override
        public Class<?> settingsType() {
            return CounterSettings.class;
        }

        @Override
        public void handle(io.sockethost.api.StreamRequest request) throws Exception {
            request.output().write(request.server().settings(CounterSettings.class).prefix().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHandlerThatDeclaresItsSettingsHasThemCheckedBeforeBinding() throws Exception {
        assertThatThrownBy(() -> TestServer.stream(Greeter::new).declaration("{\"settings\": {\"prefix\": \"hi\", \"start\": \"x\"}}").start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("servers[0].settings.start");
        try (TestServer server = TestServer.stream(Greeter::new).declaration("{\"settings\": {\"prefix\": \"hi\", \"start\": 0}}").start();
             StreamClient client = StreamClient.connect(server.address())) {
            assertThat(new String(client.receiveAll(), StandardCharsets.UTF_8)).isEqualTo("hi");
        }
    }

    @Test
    void settingsOfTheWrongTypeUnknownOrOutOfRangeAreRefusedBeforeBinding() {
        for (String[] bad : List.of(
                new String[] {"{\"prefix\": \"n=\", \"start\": \"lots\"}", "settings.start", "an integer"},
                new String[] {"{\"prefix\": \"n=\", \"start\": 1, \"strat\": 1}", "settings.strat", "unknown field \"strat\""},
                new String[] {"{\"prefix\": \"n=\", \"start\": -1}", "settings", "start must be 0 or more"},
                new String[] {"{\"prefix\": null, \"start\": 1}", "settings.prefix", "missing; give the text"})) {
            CounterLifecycle lifecycle = new CounterLifecycle();
            assertThatThrownBy(() -> TestServer.stream(() -> counting(lifecycle.events)).lifecycle(lifecycle)
                    .declaration("{\"settings\": " + bad[0] + "}").start())
                    .as(bad[0]).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("servers[0]." + bad[1]).hasMessageContaining(bad[2]);
            assertThat(lifecycle.events).as("nothing started for " + bad[0]).isEmpty();
        }
    }

    @Test
    void aLifecycleThatCannotStartKeepsTheServerFromServing() throws Exception {
        ServerLifecycle<Void> failing = server -> {
            throw new java.io.FileNotFoundException("no data folder");
        };
        assertThatThrownBy(() -> TestServer.stream(() -> counting(new CopyOnWriteArrayList<>())).lifecycle(failing).start())
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("server test-server").hasMessageContaining("no data folder");
    }
}
