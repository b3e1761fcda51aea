package io.sockethost.launcher;

import java.nio.file.Path;

import io.sockethost.core.host.HostLayout;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The folder options every command shares. Declared once on the top-level command with
 * {@link ScopeType#INHERIT}, so {@code sockethost --home X check} and {@code sockethost check --home X} mean
 * the same: picocli binds both spellings to this one object.
 */
final class HostOptions {
    /** Set by {@code bin/sockethost} to the installation folder. */
    static final String HOME_VARIABLE = "SOCKETHOST_HOME";

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT, description = "Installation folder "
            + "holding plugins/ and conf/ (default: $" + HOME_VARIABLE + ", else the current folder).")
    Path home;

    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Plugins folder (default: HOME/plugins).")
    Path plugins;

    @Option(names = "--conf", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Configuration folder (default: HOME/conf).")
    Path conf;

    HostLayout layout() {
        String variable = System.getenv(HOME_VARIABLE);
        Path base = home != null ? home : variable != null && !variable.isBlank() ? Path.of(variable) : Path.of("");
        HostLayout defaults = HostLayout.of(base);
        return new HostLayout(defaults.home(),
                plugins != null ? plugins.toAbsolutePath().normalize() : defaults.pluginsDir(),
                conf != null ? conf.toAbsolutePath().normalize() : defaults.confDir());
    }
}
