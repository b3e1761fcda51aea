package io.sockethost.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The soak's verdict: each check passes on a host that gave everything back and fails on one that did not. */
@Timeout(10)
class SoakReportTest {
    private static final Sample IDLE = new Sample(100_000, 32, 96);

    private static SoakReport report(long errors, Sample settled, long heapBefore, long heapAfter) {
        return new SoakReport("Java 17", 1_000, Duration.ofSeconds(1), Map.of("ECHO_TCP", 1_000L),
                errors == 0 ? Map.of() : Map.of("ECHO_TCP: SocketTimeoutException", errors + " (first: Read timed out)"), errors,
                IDLE, new Sample(150_000, 80, 160), new Sample(150_000, 70, 99), settled, 110_000, 60, heapBefore, heapAfter,
                Map.of());
    }

    @Test
    void aHostBackAtItsIdleValuesPasses() {
        SoakReport report = report(0, new Sample(120_000, 32, 96), 10_000, 10_999);
        assertThat(report.failures()).isEmpty();
        assertThat(report.markdown()).contains("**passed**", "| threads | 32 | 80 | 70 | 32 |", "+10.0 %");
    }

    @Test
    void eachLeftoverFailsTheRun() {
        assertThat(report(0, new Sample(120_000, 33, 96), 10_000, 10_000).failures()).singleElement().asString()
                .contains("threads 33 after the load, 32 before");
        assertThat(report(0, new Sample(120_000, 32, 97), 10_000, 10_000).failures()).singleElement().asString()
                .contains("file descriptors 97 after the load, 96 before");
        assertThat(report(0, new Sample(120_000, 32, 96), 10_000, 11_001).failures()).singleElement().asString()
                .contains("heap after a full collection 11001 KiB after the load, 10000 KiB before");
        assertThat(report(3, new Sample(120_000, 32, 96), 10_000, 10_000).failures()).singleElement().asString()
                .contains("3 requests without the protocol's answer");
        assertThat(report(3, new Sample(120_000, 32, 96), 10_000, 10_000).markdown()).contains("**failed**", "- FAILED: 3 requests");
    }

    @Test
    void readsTheHeapInUseFromJcmdOnJava17And25() {
        assertThat(HeapProbe.parseUsedKiB(" garbage-first heap   total 262144K, used 23806K [0x0000000700000000, 0x0000000800000000)\n"
                + "  region size 1024K, 1 young (1024K), 0 survivors (0K)\n Metaspace       used 31234K, committed 31616K"))
                .isEqualTo(23_806);
        assertThat(HeapProbe.parseUsedKiB(" garbage-first heap   total reserved 6172672K, committed 98304K, used 19660K [0x...)\n"))
                .isEqualTo(19_660);
        assertThat(HeapProbe.parseUsedKiB("Could not attach")).isEqualTo(-1);
    }

    @Test
    void groupsTheHostsWarningsByShape() {
        assertThat(SoakHost.warningShape("2026-12-03T11:08:26.791Z [w-1] WARN LoginService - server login-auth: wrong password "
                + "for user \"soak17\" from /127.0.0.1:40312"))
                .isEqualTo("WARN LoginService - server login-auth: wrong password for user \"soak#\" from /#.#.#.#:#");
        assertThat(SoakHost.warningShape("2026-12-03T11:08:26.791Z [main] INFO Host - started")).isEmpty();
    }
}
