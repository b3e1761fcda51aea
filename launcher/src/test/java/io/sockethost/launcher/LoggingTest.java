package io.sockethost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class LoggingTest {
    private static final Path HOME = Path.of("/opt/sock ethost");

    private static Map<String, String> resolve(StringWriter err, String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return Logging.resolve(p, HOME, new PrintWriter(err, true), HOME.resolve("conf/simplelogger.properties"));
    }

    @Test
    void relativeLogFileIsUnderHomeNotTheWorkingDirectory() {
        Map<String, String> set = resolve(new StringWriter(), Logging.LOG_FILE, "logs/sockethost.log ");
        assertThat(set).containsEntry(Logging.LOG_FILE, "/opt/sock ethost/logs/sockethost.log");
    }

    @Test
    void streamsAndAbsoluteFilesAreKept() {
        assertThat(resolve(new StringWriter(), Logging.LOG_FILE, "System.err")).containsEntry(Logging.LOG_FILE, "System.err");
        assertThat(resolve(new StringWriter(), Logging.LOG_FILE, "/var/log/s.log")).containsEntry(Logging.LOG_FILE, "/var/log/s.log");
    }

    @Test
    void onlySlf4jSimpleKeysAreSetAndOthersAreReported() {
        StringWriter err = new StringWriter();
        Map<String, String> set = resolve(err, "org.slf4j.simpleLogger.log.org.pf4j", "warn", "java.home", "/tmp");
        assertThat(set).containsOnlyKeys("org.slf4j.simpleLogger.log.org.pf4j");
        assertThat(err.toString()).contains("ignoring \"java.home\"");
    }
}
