package io.sockethost.core.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.core.config.ConcurrencyConfig;
import io.sockethost.core.config.ConcurrencyMode;

@Timeout(10)
class WorkerLauncherTest {

    private static ConcurrencyConfig forking(int requestsPerChild, List<String> jvmOptions) {
        return new ConcurrencyConfig(ConcurrencyMode.FORKING, 1, false, false, true, 4, requestsPerChild, 1,
                Duration.ofSeconds(5), jvmOptions);
    }

    @Test
    void operatorOptionsComeAfterTheDefaultsSoThatTheyWin() {
        List<String> command = WorkerLauncher.command(forking(0, List.of("-Xmx64m", "-XX:-ExitOnOutOfMemoryError")));
        assertThat(command.get(0)).endsWith("/bin/java");
        assertThat(command.indexOf("-XX:-ExitOnOutOfMemoryError")).isGreaterThan(command.indexOf("-XX:+ExitOnOutOfMemoryError"));
        assertThat(command.subList(command.size() - 3, command.size()))
                .containsExactly("-cp", System.getProperty("java.class.path"), WorkerLauncher.WORKER_MAIN);
        assertThat(command).contains("-Xmx64m").doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void aWorkerLogsInTheShapeTheHostReadsWhateverTheHostsOwnSettings() {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        try {
            List<String> command = WorkerLauncher.command(forking(0, List.of()));
            assertThat(command.lastIndexOf("-Dorg.slf4j.simpleLogger.showDateTime=false"))
                    .isGreaterThan(command.indexOf("-Dorg.slf4j.simpleLogger.showDateTime=true"));
            assertThat(command).contains("-Dorg.slf4j.simpleLogger.levelInBrackets=false",
                    "-Dorg.slf4j.simpleLogger.logFile=System.err",
                    "-Dlogback.configurationFile=" + WorkerLauncher.LOGBACK_CONFIGURATION);
            assertThat(WorkerLauncher.class.getClassLoader().getResource(WorkerLauncher.LOGBACK_CONFIGURATION))
                    .as("Logback finds it on the worker's class path, the host's").isNotNull();
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.showDateTime");
        }
    }

    @Test
    void aWorkerForOneRequestSkipsTheOptimisingCompiler() {
        assertThat(WorkerLauncher.command(forking(1, List.of()))).contains("-XX:TieredStopAtLevel=1");
    }
}
