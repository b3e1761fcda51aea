package io.sockethost.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (a version query) and returns what it printed. */
public final class Commands {
    private Commands() {
    }

    /** @return stdout and stderr, trimmed, or "" if the command failed or took more than 10 seconds */
    public static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    return "";
                }
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
