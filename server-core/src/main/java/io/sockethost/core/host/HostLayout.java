package io.sockethost.core.host;

import java.nio.file.Path;

/**
 * Where a host finds its files.
 *
 * @param home the installation folder; relative Unix socket paths resolve against it
 * @param pluginsDir the plugin jars
 * @param confDir the operator's overrides ({@code sockethost.json}, {@code servers/*.json})
 */
public record HostLayout(Path home, Path pluginsDir, Path confDir) {

    /** The distribution's layout: {@code plugins/} and {@code conf/} under {@code home}. */
    public static HostLayout of(Path home) {
        Path h = home.toAbsolutePath().normalize();
        return new HostLayout(h, h.resolve("plugins"), h.resolve("conf"));
    }
}
