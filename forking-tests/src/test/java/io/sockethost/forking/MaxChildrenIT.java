package io.sockethost.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/**
 * {@code maxChildren} bounds the worker processes however many clients come at once, and workers start a few
 * at a time.
 */
@Timeout(120)
class MaxChildrenIT {

    @Test
    void aPoolOfEightStartsItsWorkersNoMoreThanACoupleAtATime() throws Exception {
        int allowed = Math.max(2, Runtime.getRuntime().availableProcessors());
        Pattern event = Pattern.compile("started worker pid (\\d+)|worker pid (\\d+) ready");
        try (HostLog log = HostLog.capture(); PluginHost host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"maxChildren\": 8, \"warmWorkers\": 8, \"requestsPerChild\": 0"))) {
            log.awaitDistinct("for eight ready workers", Pattern.compile("worker pid (\\d+) ready"), 8, Duration.ofSeconds(90));
            int starting = 0;
            int most = 0;
            for (String line : log.lines()) {
                Matcher m = event.matcher(line);
                if (m.find()) {
                    starting += m.group(1) != null ? 1 : -1;
                    most = Math.max(most, starting);
                }
            }
            // Eight JVMs started together would each take several seconds of the machine's cores.
            assertThat(most).as("workers started and not yet ready, at most").isBetween(1, allowed);
        }
        assertThat(Workers.ofThisJvm()).isEmpty();
    }

    @Test
    void tenConcurrentSlowClientsNeverHaveMoreThanThreeWorkersAlive() throws Exception {
        AtomicInteger most = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try (PluginHost host = MisbehavingPlugin.host(MisbehavingPlugin.concurrency(
                "\"maxChildren\": 3, \"warmWorkers\": 3, \"requestsPerChild\": 1"))) {
            // Counts the worker processes the OS sees, all through the run: this is a monitor, not a wait.
            sampler.scheduleAtFixedRate(() -> most.accumulateAndGet(Workers.ofThisJvm().size(), Math::max),
                    0, 10, TimeUnit.MILLISECONDS);
            List<Future<Long>> served = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                served.add(clients.submit(() -> {
                    try (LineClient client = LineClient.connect(host.inetAddress(MisbehavingPlugin.TCP))) {
                        long pid = client.pid();
                        assertThat(client.ask("sleep 300")).isEqualTo("slept");
                        return pid;
                    }
                }));
            }
            List<Long> pids = new ArrayList<>();
            for (Future<Long> f : served) {
                pids.add(f.get());
            }
            assertThat(pids).as("one fresh worker per client (requestsPerChild 1)").doesNotHaveDuplicates().hasSize(10);
        } finally {
            sampler.shutdownNow();
            clients.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(most.get()).as("most worker processes alive at once").isEqualTo(3);
        assertThat(Workers.ofThisJvm()).isEmpty();
    }
}
