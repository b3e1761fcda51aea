package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/** No worker outlives its host: not after a shutdown, not after the host is killed with SIGKILL. */
@Timeout(90)
class WorkerShutdownIT {
    private Path home;
    private Process hostProcess;

    @AfterEach
    void cleanUp() throws Exception {
        if (hostProcess != null) {
            hostProcess.destroyForcibly();
            hostProcess.waitFor();
        }
        if (home != null) {
            try (Stream<Path> walk = Files.walk(home)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aCtrlCMeantForTheHostDoesNotCutAWorkersRequestOff() throws Exception {
        try (PluginHost host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency("\"requestsPerChild\": 0"));
             LineClient busy = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            long pid = busy.pid();
            busy.send("sleep 1500");
            // What a terminal's Ctrl-C does to the foreground process group, here to the worker alone.
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -INT sent").isTrue();
            assertThat(busy.readLine()).as("the request in the worker completes").isEqualTo("slept");
            assertThat(busy.pid()).as("served by the same worker afterwards").isEqualTo(pid);
        }
        assertThat(Workers.ofThisJvm()).isEmpty();
    }

    @Test
    void stoppingTheHostStopsBusyAndIdleWorkers() throws Exception {
        List<Long> workers;
        try (PluginHost host = MisbehavingPlugin.host("{\"host\": {\"shutdownTimeout\": 1}}",
                MisbehavingPlugin.concurrency("\"maxChildren\": 3, \"warmWorkers\": 3, \"requestsPerChild\": 0"));
             LineClient busy = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
            long busyPid = busy.pid();
            busy.send("sleep 600000");
            workers = Workers.ofThisJvm();
            assertThat(workers).contains(busyPid).hasSizeGreaterThan(1);
            host.close(); // (closing it again at the end of the block does nothing)
            assertThat(workers.stream().filter(Workers::isAlive).toList()).as("workers alive after close() returned")
                    .isEmpty();
            assertThat(busy.readLine()).as("the busy client's connection is closed").isNull();
        }
        assertThat(Workers.ofThisJvm()).isEmpty();
    }

    @Test
    void workersExitOnTheirOwnWhenTheHostIsKilled() throws Exception {
        home = Files.createTempDirectory("sockethost-sigkill");
        Files.createDirectories(home.resolve("plugins"));
        Files.copy(MisbehavingPlugin.jar(), home.resolve("plugins").resolve(MisbehavingPlugin.jar().getFileName()));
        Files.createDirectories(home.resolve("conf"));
        // A Unix socket: the test knows the address without parsing the host's log.
        Files.writeString(home.resolve("conf/sockethost.json"), "{\"servers\": {"
                + "\"" + MisbehavingPlugin.TCP + "\": {\"enabled\": false},"
                + "\"" + MisbehavingPlugin.UNIX + "\": {\"enabled\": true, \"address\": \"run/m.sock\","
                + " \"concurrency\": {\"maxChildren\": 2, \"warmWorkers\": 2}}}}");
        Path socket = home.resolve("run/m.sock");
        hostProcess = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"), "io.sockethost.launcher.Main", "--home", home.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("host.log").toFile()).start();

        List<Long> workers = new ArrayList<>();
        try (LineClient busy = connectWhenListening(socket)) {
            long busyPid = busy.pid();
            busy.send("sleep 600000");
            // Both workers were started when the server opened; with maxChildren 2 no third can come.
            workers.addAll(Workers.under(hostProcess.toHandle()));
            assertThat(workers).as("workers are the host's children").hasSize(2).contains(busyPid);

            hostProcess.destroyForcibly(); // SIGKILL: the host can do nothing about its workers
            hostProcess.waitFor();
            // The kernel ends the dead host's connection with FIN, or with RST when input was still unread.
            String after;
            try {
                after = busy.readLine();
            } catch (java.net.SocketException reset) {
                after = null;
            }
            assertThat(after).as("the busy client's connection ends with its host").isNull();
        }
        // Each notices the end of its stdin and exits (an orphan is reaped by init, hence the generous deadline).
        Workers.awaitExit(workers, Duration.ofSeconds(30));
    }

    /** Polls (with a deadline) for the host's socket: it is another process, with nothing else to wait on. */
    private LineClient connectWhenListening(Path socket) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (Files.exists(socket)) {
                try {
                    return LineClient.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    // bound but not yet listening: try again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the host did not listen on " + socket + " within 60 s:\n"
                        + Files.readString(home.resolve("host.log")));
            }
            try {
                hostProcess.onExit().get(50, TimeUnit.MILLISECONDS);
                throw new AssertionError("the host exited with status " + hostProcess.exitValue() + ":\n"
                        + Files.readString(home.resolve("host.log")));
            } catch (TimeoutException e) {
                // still running: look again
            }
        }
    }
}
