package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM memory defaults (a heap bound, a small initial heap, G1's periodic collection) reach the
 * JVM, an operator's {@code JAVA_OPTS} replaces any of them, and {@code SOCKETHOST_JVM_DEFAULTS=off} drops them.
 * The JVM prints the flags it was given ({@code -XX:+PrintCommandLineFlags}) before {@code --version} runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher")
class JvmDefaultsIT {
    @TempDir
    Path temp;

    private Installation install;
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void unzip() throws Exception {
        install = Installation.unzipBuilt(temp);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("SOCKETHOST_JVM_DEFAULTS", null);
    }

    private String flags(String javaOpts) throws Exception {
        environment.put("JAVA_OPTS", "-XX:+PrintCommandLineFlags " + javaOpts);
        try (HostProcess p = HostProcess.start(install.launcher(), Files.createDirectories(temp.resolve("cwd")), environment,
                "--version")) {
            HostProcess.Finished done = p.finish(Duration.ofSeconds(60));
            assertThat(done.status()).as(done.err()).isZero();
            return done.out();
        }
    }

    @Test
    void theDefaultsReachTheJvm() throws Exception {
        assertThat(flags("")).contains("-XX:G1PeriodicGCInterval=30000", "-XX:InitialHeapSize=16777216",
                "-XX:MaxHeapSize=536870912");
    }

    @Test
    void javaOptsWinOptionByOption() throws Exception {
        String out = flags("-XX:G1PeriodicGCInterval=0");
        assertThat(out).contains("-XX:G1PeriodicGCInterval=0", "-XX:InitialHeapSize=16777216", "-XX:MaxHeapSize=536870912");
    }

    @Test
    void aJavaOptsThatSizesTheHeapReplacesBothHeapFlags() throws Exception {
        String out = flags("-Xmx64m");
        assertThat(out).contains("-XX:MaxHeapSize=67108864", "-XX:G1PeriodicGCInterval=30000")
                .doesNotContain("-XX:InitialHeapSize=16777216");
        // as containers size the heap: an -Xmx from the launcher would override it
        assertThat(flags("-XX:MaxRAMPercentage=10")).contains("-XX:MaxRAMPercentage=10")
                .doesNotContain("-XX:MaxHeapSize=536870912");
        // below the launcher's -Xms16m, which would otherwise stop the JVM
        assertThat(flags("-Xmx8m")).contains("-XX:MaxHeapSize=8388608");
    }

    @Test
    void theyCanBeTurnedOff() throws Exception {
        environment.put("SOCKETHOST_JVM_DEFAULTS", "off");
        assertThat(flags("")).doesNotContain("G1PeriodicGCInterval").doesNotContain("-XX:MaxHeapSize=536870912");
    }
}
