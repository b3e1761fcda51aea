package io.sockethost.core.cli;

import java.nio.file.Path;

import io.sockethost.core.host.HostLayout;
import picocli.CommandLine.Option;

/** The folder options every command shares. */
final class HostOptions {
    @Option(names = "--home", paramLabel = "DIR", description = "Installation folder holding plugins/ and conf/ "
            + "(default: $SOCKETHOST_HOME, else the current folder).")
    Path home;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins folder (default: HOME/plugins).")
    Path plugins;

    @Option(names = "--conf", paramLabel = "DIR", description = "Configuration folder (default: HOME/conf).")
    Path conf;

    HostLayout layout() {
        Path base = home != null ? home : System.getenv("SOCKETHOST_HOME") != null
                ? Path.of(System.getenv("SOCKETHOST_HOME")) : Path.of("");
        HostLayout defaults = HostLayout.of(base);
        return new HostLayout(defaults.home(),
                plugins != null ? plugins.toAbsolutePath().normalize() : defaults.pluginsDir(),
                conf != null ? conf.toAbsolutePath().normalize() : defaults.confDir());
    }
}
