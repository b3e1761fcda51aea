package io.sockethost.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Host-wide settings from the {@code host} block of {@code conf/sockethost.json}.
 *
 * @param shutdownTimeout how long shutdown waits for running requests before closing their connections
 * @param watchPlugins whether a change in {@code plugins/} or {@code conf/} reloads the host by itself
 */
public record HostSettings(Duration shutdownTimeout, boolean watchPlugins) {
    public static final HostSettings DEFAULTS = new HostSettings(Duration.ofSeconds(10), false);

    /** The {@code host} block as written. */
    public record Declaration(Double shutdownTimeout, Boolean watchPlugins) {
    }

    /** Later files win, field by field. */
    public static HostSettings from(List<OverrideFile> files) throws ConfigException {
        HostSettings result = DEFAULTS;
        for (OverrideFile file : files) {
            if (file.host() == null) {
                continue;
            }
            if (file.host().shutdownTimeout() != null) {
                double seconds = file.host().shutdownTimeout();
                if (seconds < 0 || seconds > 3600) {
                    throw new ConfigException(new ConfigProblem(file.file(), "host.shutdownTimeout",
                            "value " + seconds + " is out of range; allowed: 0 to 3600 seconds"));
                }
                result = new HostSettings(Duration.ofMillis(Math.round(seconds * 1000)), result.watchPlugins());
            }
            if (file.host().watchPlugins() != null) {
                result = new HostSettings(result.shutdownTimeout(), file.host().watchPlugins());
            }
        }
        return result;
    }
}
