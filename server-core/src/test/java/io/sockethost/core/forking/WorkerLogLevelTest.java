package io.sockethost.core.forking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

@Timeout(10)
class WorkerLogLevelTest {

    @Test
    void aWorkersLogLineKeepsItsLevel() {
        assertThat(WorkerLogLevel.of("[main] INFO io.sockethost.core.server.RequestLifecycle - server echo: client "
                + "/127.0.0.1:4000 sent nothing within the read timeout", Level.WARN)).isEqualTo(Level.INFO);
        assertThat(WorkerLogLevel.of("[main] ERROR RequestLifecycle - handle failed", Level.INFO)).isEqualTo(Level.ERROR);
        assertThat(WorkerLogLevel.of("DEBUG WorkerMain - relay closed", Level.INFO)).isEqualTo(Level.DEBUG);
    }

    @Test
    void theStackTraceOfAnErrorStaysAnError() {
        assertThat(WorkerLogLevel.of("java.lang.IllegalStateException: failing on request", Level.ERROR)).isEqualTo(Level.ERROR);
        assertThat(WorkerLogLevel.of("\tat io.sockethost.Handler.handle(Handler.java:12)", Level.ERROR)).isEqualTo(Level.ERROR);
        assertThat(WorkerLogLevel.of("Caused by: java.io.IOException: reset", Level.ERROR)).isEqualTo(Level.ERROR);
        assertThat(WorkerLogLevel.of("\t... 4 more", Level.ERROR)).isEqualTo(Level.ERROR);
    }

    @Test
    void anythingElseOnStderrIsAWarning() {
        assertThat(WorkerLogLevel.of("WARNING: A restricted method in java.lang.System has been called", Level.ERROR))
                .isEqualTo(Level.WARN);
        assertThat(WorkerLogLevel.of("java.io.IOException: printed by a handler", Level.INFO)).isEqualTo(Level.WARN);
        assertThat(WorkerLogLevel.of("\tat somewhere", Level.INFO)).isEqualTo(Level.WARN);
        assertThat(WorkerLogLevel.of("INFORMATION for you", Level.INFO)).isEqualTo(Level.WARN);
    }
}
