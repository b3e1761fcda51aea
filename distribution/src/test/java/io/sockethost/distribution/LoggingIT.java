package io.sockethost.distribution;

import static io.sockethost.distribution.DistributionIT.START;
import static io.sockethost.distribution.DistributionIT.awaitStarted;
import static io.sockethost.distribution.DistributionIT.connect;
import static io.sockethost.distribution.DistributionIT.stopWithSigterm;
import static io.sockethost.distribution.DistributionIT.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.DistributionIT.Announced;

/**
 * What the distribution's log lines look like: with the shipped slf4j-simple configuration, and with Logback put
 * into {@code lib/} in its place as docs/OPERATING.md tells an operator to. The host runs in a zone that is not
 * UTC (and has no daylight saving time), so a time stamp without its offset, or with a wrong one, shows.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher, and sends signals with kill")
class LoggingIT extends InstalledDistribution {
    private static final String ZONE = "Asia/Kolkata";
    private static final ZoneOffset OFFSET = ZoneOffset.ofHoursMinutes(5, 30);
    private static final String TIME = "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(?:Z|[+-]\\d{2}:\\d{2}))";
    /** slf4j-simple as conf/simplelogger.properties sets it up: time, thread, level, short logger name. */
    private static final Pattern SIMPLE_LINE = Pattern.compile("^" + TIME + " \\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) \\w+ - ");
    /** The shipped conf/logback.xml: time, thread, level padded to five, the logger's full name. */
    private static final Pattern LOGBACK_LINE = Pattern.compile("^" + TIME + " \\[[^\\]]+\\] (TRACE|DEBUG|INFO |WARN |ERROR) "
            + "[a-z]\\w*(?:\\.\\w+)+ - ");
    private static final Path MISBEHAVING = Path.of(System.getProperty("misbehaving.jar"));

    /** Checks that {@code time} is a full ISO 8601 time in the host's zone, taken during this test. */
    private static void assertIsoTimeWithOffset(String time, OffsetDateTime testStart) {
        OffsetDateTime at = OffsetDateTime.parse(time);
        assertThat(at.getOffset()).as(time).isEqualTo(OFFSET);
        assertThat(at).as(time).isAfterOrEqualTo(testStart.minusSeconds(1)).isBeforeOrEqualTo(OffsetDateTime.now().plusSeconds(1));
    }

    /**
     * The lines of standard error that come from the logger: all but the command's own messages about its
     * configuration, which it prints before logging starts, each beginning with {@code sockethost: }.
     */
    private static List<String> logLines(List<String> stderr) {
        return stderr.stream().filter(line -> !line.startsWith("sockethost: ")).toList();
    }

    /** The misbehaving test plugin dropped into plugins/, its server forking one worker. */
    private ObjectNode forkingMisbehaving() throws IOException {
        Files.copy(MISBEHAVING, install.plugins().resolve(MISBEHAVING.getFileName()));
        ObjectNode extra = StrictJson.MAPPER.createObjectNode();
        extra.putObject("misbehaving").put("address", "127.0.0.1:0").putObject("concurrency").put("mode", "forking")
                .put("maxChildren", 1).put("warmWorkers", 1);
        return extra;
    }

    /** Makes the worker's handler throw, which the worker logs at ERROR with the stack trace. */
    private static void failInAWorker(Announced server) throws IOException {
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write("fail\n".getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = socket.getInputStream()) {
                assertThat(in.read()).as("the handler threw: the connection closes").isEqualTo(-1);
            }
        }
    }

    @Test
    void everyLineOfARunCarriesItsTimeWithTheUtcOffsetAlsoAForkingWorkersLine() throws Exception {
        OffsetDateTime testStart = OffsetDateTime.now();
        install.writeTestOverrides("test", 10, forkingMisbehaving());
        environment.put("TZ", ZONE);
        // The JVM's own lines about the start-up archive (Java 25 writes its AOT cache at the first stop, and
        // names JAVA_TOOL_OPTIONS) are not the host's log lines: keep them out of a test of the log format.
        environment.put("SOCKETHOST_CDS", "off");
        List<String> lines;
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(tcp(servers.get("echo-tcp"), "logged\n")).isEqualTo("logged\n");
            // a handler error logged by the worker's own slf4j-simple, passed on by the host at its level
            failInAWorker(servers.get("misbehaving"));
            Matcher worker = host.awaitLog(Pattern.compile("^" + TIME + " \\[[^\\]]+\\] ERROR \\w+ - server misbehaving worker pid \\d+: "
                    + "\\[[^\\]]+\\] ERROR "), START);
            assertIsoTimeWithOffset(worker.group(1), testStart);
            stopWithSigterm(host);
            lines = host.stderr();
        }
        List<String> logged = logLines(lines);
        assertThat(logged).as("a run logs").hasSizeGreaterThan(5);
        for (String line : logged) {
            Matcher m = SIMPLE_LINE.matcher(line);
            assertThat(m.find()).as("in slf4j-simple's shape with a time stamp: " + line + "\n" + String.join("\n", lines)).isTrue();
            assertIsoTimeWithOffset(m.group(1), testStart);
        }
    }

    @Test
    void logbackReplacesSlf4jSimpleByItsJarsInLibAndTheShippedLogbackXml() throws Exception {
        OffsetDateTime testStart = OffsetDateTime.now();
        Path lib = install.home().resolve("lib");
        // what docs/OPERATING.md ("Logs") says: two jars in, one out
        for (String jar : List.of("logback.classic.jar", "logback.core.jar")) {
            Path file = Path.of(System.getProperty(jar));
            Files.copy(file, lib.resolve(file.getFileName()));
        }
        Files.delete(install.lib("slf4j-simple-"));
        assertThat(install.conf().resolve("logback.xml")).isRegularFile();
        install.writeTestOverrides("test", 10, forkingMisbehaving());
        environment.put("TZ", ZONE);
        // The JVM's own lines about the start-up archive (Java 25 writes its AOT cache at the first stop, and
        // names JAVA_TOOL_OPTIONS) are not the host's log lines: keep them out of a test of the log format.
        environment.put("SOCKETHOST_CDS", "off");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            Matcher started = host.awaitLog(Pattern.compile("^" + TIME + " \\[main\\] INFO  io\\.sockethost\\.launcher\\.RunCommand - "
                    + "sockethost started "), START);
            assertIsoTimeWithOffset(started.group(1), testStart);
            assertThat(tcp(servers.get("echo-tcp"), "through logback\n")).isEqualTo("through logback\n");
            // a worker logs through Logback too, in the shape the host reads: its ERROR stays an ERROR
            failInAWorker(servers.get("misbehaving"));
            host.awaitLog(Pattern.compile("^" + TIME + " \\[[^\\]]+\\] ERROR io\\.sockethost\\.core\\.forking\\.WorkerLauncher - "
                    + "server misbehaving worker pid \\d+: \\[[^\\]]+\\] ERROR RequestLifecycle - server misbehaving: handle failed"), START);
            stopWithSigterm(host);
            assertThat(host.stderr()).as("a worker logs at the host's level (info), and PF4J at WARN:\n" + host.transcript())
                    .noneMatch(line -> line.contains(" DEBUG ") || line.contains(" INFO org.pf4j"));
            assertThat(logLines(host.stderr())).as("every line in the shipped logback.xml's pattern:\n" + host.transcript())
                    .hasSizeGreaterThan(5).allMatch(line -> LOGBACK_LINE.matcher(line).find());
            assertThat(host.stderr()).as("PF4J at WARN, as in conf/logback.xml").noneMatch(line -> line.contains(" INFO  org.pf4j."));
            assertThat(host.stdout()).as("Logback's default configuration (to stdout) was not used").isEmpty();
        }
    }
}
