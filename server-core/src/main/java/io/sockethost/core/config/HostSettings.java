package io.sockethost.core.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sockethost.api.Transport;

/**
 * Host-wide settings from the {@code host} block of {@code conf/sockethost.json}.
 *
 * @param shutdownTimeout how long shutdown waits for running requests before closing their connections
 * @param watchPlugins whether a change in {@code plugins/} or {@code conf/} reloads the host by itself
 * @param adminAddress where the admin HTTP listener ({@code /metrics}, {@code /health}) listens, from
 *     {@code host.admin.address}; {@code null} (the default) keeps it off
 */
public record HostSettings(Duration shutdownTimeout, boolean watchPlugins, InetSocketAddress adminAddress) {
    public static final HostSettings DEFAULTS = new HostSettings(Duration.ofSeconds(10), false, null);

    /** The {@code host} block as written. */
    public record Declaration(Double shutdownTimeout, Boolean watchPlugins, Admin admin) {
    }

    /** The {@code host.admin} block as written: {@code address} is host:port, or null for no listener. */
    public record Admin(String address) {
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
                result = new HostSettings(Duration.ofMillis(Math.round(seconds * 1000)), result.watchPlugins(),
                        result.adminAddress());
            }
            if (file.host().watchPlugins() != null) {
                result = new HostSettings(result.shutdownTimeout(), file.host().watchPlugins(), result.adminAddress());
            }
            Admin admin = file.host().admin();
            if (admin != null && admin.address() != null) {
                try {
                    InetSocketAddress address = (InetSocketAddress) Addresses.parse(Transport.TCP, admin.address(), Path.of("."));
                    result = new HostSettings(result.shutdownTimeout(), result.watchPlugins(), address);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(new ConfigProblem(file.file(), "host.admin.address", e.getMessage()));
                }
            }
        }
        return result;
    }
}
