package io.sockethost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.bench.peer.Kind;
import io.sockethost.bench.report.ScenarioFile;
import io.sockethost.bench.scenario.MemoryRow;
import io.sockethost.bench.scenario.ScenarioResult;
import io.sockethost.bench.scenario.StartupRow;
import io.sockethost.bench.scenario.Status;
import io.sockethost.bench.scenario.ThroughputRow;

/**
 * The harness end to end, in its smoke profile: each scenario against sockethost alone (a real host process
 * with the reactor's plugin jars), about a second per scenario. Asserts that requests completed without
 * errors, never how fast.
 */
@Timeout(120)
class BenchSmokeIT {
    private static Environment env;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void prepare() throws IOException {
        env = Environment.prepare(Path.of(System.getProperty("bench.hostLib")), Path.of(System.getProperty("bench.repo")),
                null, false);
        assertThat(env.hostMissing()).as("host class path and plugin jars").isEmpty();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        env.close();
    }

    private ScenarioResult run(String scenario) throws Exception {
        List<ScenarioFile> files = Bench.run(Settings.of(Profile.SMOKE), env, List.of(scenario), null,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(files).hasSize(1);
        return files.get(0).result();
    }

    private List<ThroughputRow> sockethostRows(String scenario) throws Exception {
        ScenarioResult.Throughput result = (ScenarioResult.Throughput) run(scenario);
        assertThat(result.rows()).isNotEmpty().allMatch(r -> r.kind() == Kind.SOCKETHOST);
        return result.rows();
    }

    private void assertServed(List<ThroughputRow> rows) {
        for (ThroughputRow row : rows) {
            assertThat(row.status()).as(row.server() + ": " + row.note() + "\n" + log).isEqualTo(Status.OK);
            assertThat(row.result().completed()).as(row.server()).isPositive();
            assertThat(row.result().errors()).as(row.server()).isEmpty();
        }
    }

    @Test
    void tcpEcho() throws Exception {
        assertServed(sockethostRows("tcp-echo"));
    }

    @Test
    void tcpEchoAtAFixedRate() throws Exception {
        assertServed(sockethostRows("tcp-echo-fixed-rate"));
    }

    @Test
    void shortConnections() throws Exception {
        assertServed(sockethostRows("short-connections"));
    }

    @Test
    void udpEcho() throws Exception {
        assertServed(sockethostRows("udp-echo"));
    }

    @Test
    void httpStaticIsMeasuredWhenHttpLiteIsBuiltAndSkippedWithAReasonOtherwise() throws Exception {
        List<ThroughputRow> rows = sockethostRows("http-static");
        if (env.pluginJar("http-lite").isPresent()) {
            assertServed(rows);
        } else {
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(Status.SKIPPED);
                assertThat(r.note()).contains("http-lite");
            });
        }
    }

    @Test
    void startup() throws Exception {
        ScenarioResult.Startup result = (ScenarioResult.Startup) run("startup");
        assertThat(result.rows()).singleElement().satisfies((StartupRow r) -> {
            assertThat(r.status()).as(r.note()).isEqualTo(Status.OK);
            assertThat(r.millis()).isNotEmpty().allMatch(ms -> ms > 0);
            assertThat(r.note()).contains("echo");
        });
    }

    @Test
    void memory() throws Exception {
        ScenarioResult.Memory result = (ScenarioResult.Memory) run("memory");
        assertThat(result.rows()).singleElement().satisfies((MemoryRow r) -> {
            assertThat(r.status()).as(r.note()).isEqualTo(Status.OK);
            assertThat(r.points()).singleElement().satisfies(p -> {
                assertThat(p.held()).isEqualTo(p.connections());
                assertThat(p.rssMiB()).isPositive();
            });
        });
    }
}
