package io.sockethost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import io.sockethost.core.host.Host;
import io.sockethost.core.host.HostLayout;

/** Stopping a host is not a failure, however soon after its start it comes. */
@Timeout(120)
class HostStopTest {
    @TempDir
    Path home;

    @Test
    void aHostClosedRightAfterItStartedLogsNoError() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("run"));
        Files.copy(EchoJars.ECHO, Files.createDirectories(home.resolve("plugins")).resolve(EchoJars.ECHO.getFileName()));
        Files.writeString(home.resolve("conf/sockethost.json"), """
                {"servers": {"echo-tcp": {"address": "127.0.0.1:0"}, "echo-udp": {"address": "127.0.0.1:0"},
                             "echo-unix-stream": {"enabled": false}, "echo-unix-datagram": {"enabled": false}}}
                """);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is when it writes a line (the tests log WARN and above)
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger(HostStopTest.class).warn("capture works");
            for (int i = 0; i < 50; i++) {
                try (Host host = Host.load(HostLayout.of(home))) {
                    host.start();
                }
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("capture works").doesNotContain("ERROR", "unexpected failure");
    }
}
