package io.sockethost.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sockethost.core.config.ConfigProblem;
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

    /**
     * @return a problem for each folder the operator named (an option, or $SOCKETHOST_HOME) that does not
     *     exist: a mistyped {@code --conf} must not check or run with no configuration at all
     */
    List<ConfigProblem> missingFolders() {
        List<ConfigProblem> problems = new ArrayList<>();
        String variable = System.getenv(HOME_VARIABLE);
        Path namedHome = home != null ? home : variable != null && !variable.isBlank() ? Path.of(variable) : null;
        String homeSource = home != null ? "--home" : "$" + HOME_VARIABLE;
        for (Object[] folder : new Object[][] {{homeSource, namedHome}, {"--plugins", plugins}, {"--conf", conf}}) {
            Path path = (Path) folder[1];
            if (path != null && !Files.isDirectory(path)) {
                problems.add(new ConfigProblem((String) folder[0], "", "folder " + path.toAbsolutePath().normalize()
                        + (Files.exists(path) ? " is not a folder" : " does not exist")));
            }
        }
        return problems;
    }

    HostLayout layout() {
        String variable = System.getenv(HOME_VARIABLE);
        Path base = home != null ? home : variable != null && !variable.isBlank() ? Path.of(variable) : Path.of("");
        HostLayout defaults = HostLayout.of(base);
        return new HostLayout(defaults.home(),
                plugins != null ? plugins.toAbsolutePath().normalize() : defaults.pluginsDir(),
                conf != null ? conf.toAbsolutePath().normalize() : defaults.confDir());
    }
}
