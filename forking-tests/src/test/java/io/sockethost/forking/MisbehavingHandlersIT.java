package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/**
 * A handler that exits, halts, runs out of memory or never returns takes down only its own worker: clients
 * connected before and after are served, the worker is replaced, and the host logs which worker died and
 * why.
 *
 * <p>Two workers at most, reused, and a three-second {@code requestTimeout}: the client connected before
 * holds one worker while the misbehaving request gets the other; once the victim is gone and its
 * replacement ready, two clients at once are served by the first worker and the replacement.
 */
@Timeout(90)
class MisbehavingHandlersIT {
    /** The pool's debug line for a worker that has started and connected (the module logs the pool at debug). */
    private static final Pattern READY = Pattern.compile("server misbehaving: worker pid (\\d+) ready");
    private HostLog log;
    private PluginHost host;

    @BeforeEach
    void start() throws Exception {
        log = HostLog.capture();
        host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency("\"maxChildren\": 2, \"warmWorkers\": 2, "
                + "\"requestsPerChild\": 0, \"requestTimeout\": 3"));
        // Both workers ready before the test proper, so that the client connected before is served, and done,
        // well within requestTimeout (which counts from the moment a connection gets its worker).
        log.awaitDistinct("of two ready workers", READY, 2, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        try {
            MisbehavingPlugin.stop(host);
        } finally {
            log.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "exit 7 | exited with status 7",
        "halt 9 | exited with status 9",
        "oom    | ran out of memory",
        "spin   | was killed: its request ran longer than requestTimeout (3 s)",
    })
    void onlyTheMisbehavingWorkerIsLost(String command, String cause) throws Exception {
        InetSocketAddress server = host.inetAddress(MisbehavingPlugin.TCP);
        long survivor;
        long victim;
        String victimClient;
        try (LineClient before = LineClient.connect(server); LineClient bad = LineClient.connect(server)) {
            survivor = before.pid();
            victim = bad.pid();
            assertThat(victim).isNotEqualTo(survivor);
            victimClient = bad.channel().getLocalAddress().toString().replaceFirst("^/", "");
            bad.send(command);
            assertThat(before.pid()).as("the client connected before is served by its own worker").isEqualTo(survivor);
            before.close(); // done well within requestTimeout, unlike the one below
            assertThat(bad.readLine()).as("the misbehaving request's connection is closed").isNull();
        }
        Workers.awaitExit(List.of(victim), Duration.ofSeconds(20));
        log.await("saying why worker " + victim + " died", line -> line.contains("server misbehaving: worker pid "
                + victim + " " + cause) && line.contains("while serving client " + victimClient), Duration.ofSeconds(20));

        // The replacement, ready: then two clients at once take the first worker and it.
        List<String> ready = log.awaitDistinct("of a replacement worker ready", READY, 3, Duration.ofSeconds(60));
        long replacement = Long.parseLong(ready.get(2));
        assertThat(replacement).isNotIn(survivor, victim);
        try (LineClient after1 = LineClient.connect(server); LineClient after2 = LineClient.connect(server)) {
            List<Long> pids = List.of(after1.pid(), after2.pid());
            assertThat(pids).as("served by the first worker and its replacement").containsExactlyInAnyOrder(survivor,
                    replacement);
            assertThat(Workers.ofThisJvm()).containsExactlyInAnyOrder(survivor, replacement);
        }
    }
}
