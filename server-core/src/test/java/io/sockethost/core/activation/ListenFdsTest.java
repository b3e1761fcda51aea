package io.sockethost.core.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ListenFdsTest {

    @Test
    void descriptorsStartAtThreeAndTakeTheirNamesInOrder() {
        ListenFds fds = ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "3", "LISTEN_FDNAMES", "echo-tcp::web"), 42);
        assertThat(fds.fds()).containsExactly(new ListenFds.Passed(3, "echo-tcp"), new ListenFds.Passed(4, ""),
                new ListenFds.Passed(5, "web"));
    }

    @Test
    void withoutNamesEachDescriptorHasAnEmptyOne() {
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "2"), 7).fds())
                .containsExactly(new ListenFds.Passed(3, ""), new ListenFds.Passed(4, ""));
    }

    @Test
    void socketsMeantForAnotherProcessAreNotOurs() {
        // a forking worker inherits its host's environment: its pid differs, so it takes nothing
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 43).fds()).isEmpty();
    }

    @Test
    void missingOrMalformedVariablesMeanNothingWasPassed() {
        assertThat(ListenFds.parse(Map.of(), 1).fds()).isEmpty();
        assertThat(ListenFds.parse(Map.of("LISTEN_FDS", "1"), 1).fds()).isEmpty();
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "x", "LISTEN_FDS", "1"), 1).fds()).isEmpty();
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "1", "LISTEN_FDS", "many"), 1).fds()).isEmpty();
    }
}
