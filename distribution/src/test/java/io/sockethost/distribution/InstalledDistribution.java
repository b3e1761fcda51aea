package io.sockethost.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.distribution.HostProcess.Finished;

/**
 * The fixture of the end-to-end tests: the built zip unpacked into a fresh folder whose path has a space,
 * and {@code bin/sockethost} run from another working directory with the test's Java as {@code JAVA_HOME}.
 */
abstract class InstalledDistribution {
    @TempDir
    Path temp;

    Installation install;
    /** The working directory of every process: not the installation, which must not matter. */
    Path elsewhere;
    final Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));

    @BeforeEach
    void unpack() throws IOException {
        install = Installation.unzipBuilt(temp);
        elsewhere = Files.createDirectories(temp.resolve("somewhere else"));
    }

    HostProcess start(String... args) throws IOException {
        return HostProcess.start(install.launcher(), elsewhere, environment, args);
    }

    /** Runs a command that ends by itself ({@code check}, {@code reload}, ...) to its end. */
    Finished runToEnd(String... args) throws IOException, InterruptedException {
        try (HostProcess process = start(args)) {
            return process.finish(DistributionIT.QUICK_COMMAND);
        }
    }
}
