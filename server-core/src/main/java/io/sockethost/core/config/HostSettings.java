package io.sockethost.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Host-wide settings from the {@code host} block of {@code conf/sockethost.json}.
 *
 * @param shutdownTimeout how long shutdown waits for running requests before closing their connections
 */
public record HostSettings(Duration shutdownTimeout) {
    public static final HostSettings DEFAULTS = new HostSettings(Duration.ofSeconds(10));

    /** The {@code host} block as written. */
    public record Declaration(Double shutdownTimeout) {
    }

    /** Later files win. */
    public static HostSettings from(List<OverrideFile> files) throws ConfigException {
        HostSettings result = DEFAULTS;
        for (OverrideFile file : files) {
            if (file.host() != null && file.host().shutdownTimeout() != null) {
                double seconds = file.host().shutdownTimeout();
                if (seconds < 0 || seconds > 3600) {
                    throw new ConfigException(new ConfigProblem(file.file(), "host.shutdownTimeout",
                            "value " + seconds + " is out of range; allowed: 0 to 3600 seconds"));
                }
                result = new HostSettings(Duration.ofMillis(Math.round(seconds * 1000)));
            }
        }
        return result;
    }
}
