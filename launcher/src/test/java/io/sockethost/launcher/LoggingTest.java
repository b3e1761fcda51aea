package io.sockethost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.host.HostLayout;

@Timeout(10)
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

    /**
     * What logrotate's copytruncate does to a running host's log: the previous run's lines stay, and after the
     * file is emptied in place the next line starts at offset 0 instead of behind a hole of NUL bytes.
     */
    @Test
    void aLogFileIsAppendedToAndKeepsNoHoleWhenTruncatedUnderIt(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve(Logging.FILE), Logging.LOG_FILE + "=logs/host.log\n");
        Path log = home.resolve("logs/host.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "a line of the previous run\n");
        PrintStream console = System.err;
        String property = System.getProperty(Logging.LOG_FILE);
        StringWriter err = new StringWriter();
        try {
            Logging.configure(HostLayout.of(home), new PrintWriter(err, true));
            assertThat(System.getProperty(Logging.LOG_FILE)).as("slf4j-simple writes to the stream opened here").isEqualTo("System.err");
            System.err.println("a line of this run, long enough to leave a hole if the next one were written after it");
            assertThat(log).content().startsWith("a line of the previous run\n").contains("a line of this run");

            try (FileChannel file = FileChannel.open(log, StandardOpenOption.WRITE)) {
                file.truncate(0);
            }
            System.err.println("after the rotation");
        } finally {
            System.err.close();
            System.setErr(console);
            if (property == null) {
                System.clearProperty(Logging.LOG_FILE);
            } else {
                System.setProperty(Logging.LOG_FILE, property);
            }
        }
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).isEqualTo("after the rotation" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aLogbackConfigurationInConfIsNamedToLogbackUnlessAnOptionNamesAnother(@TempDir Path home) throws IOException {
        Path xml = Files.writeString(Files.createDirectories(home.resolve("conf")).resolve(Logging.LOGBACK_FILE), "<configuration/>");
        String property = System.getProperty(Logging.LOGBACK_PROPERTY);
        try {
            System.clearProperty(Logging.LOGBACK_PROPERTY);
            Logging.configure(HostLayout.of(home), new PrintWriter(new StringWriter(), true));
            assertThat(System.getProperty(Logging.LOGBACK_PROPERTY)).isEqualTo(xml.toAbsolutePath().normalize().toString());

            System.setProperty(Logging.LOGBACK_PROPERTY, "/etc/sockethost/logback.xml");
            Logging.configure(HostLayout.of(home), new PrintWriter(new StringWriter(), true));
            assertThat(System.getProperty(Logging.LOGBACK_PROPERTY)).as("a -D option wins").isEqualTo("/etc/sockethost/logback.xml");
        } finally {
            if (property == null) {
                System.clearProperty(Logging.LOGBACK_PROPERTY);
            } else {
                System.setProperty(Logging.LOGBACK_PROPERTY, property);
            }
        }
    }
}
