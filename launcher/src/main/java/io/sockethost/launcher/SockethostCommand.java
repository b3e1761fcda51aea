package io.sockethost.launcher;

import java.util.concurrent.Callable;

import io.sockethost.core.plugin.HostVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sockethost}: without a command, runs the host ({@code sockethost run}). */
@Command(name = "sockethost", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "Runs socket servers from PF4J plugins, after Python's socketserver.",
        subcommands = {RunCommand.class, ReloadCommand.class, CheckCommand.class, PluginsCommand.class, ConfigCommand.class, HelpCommand.class},
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING,
        exitCodeList = {"0:stopped cleanly, or nothing wrong found", "1:unexpected failure, or forced by a second signal",
            "2:usage error", "3:invalid configuration or plugin (every problem is printed)",
            "4:a server could not bind its address"})
public final class SockethostCommand implements Callable<Integer> {
    static final String EXIT_CODES_HEADING = "%nExit codes:%n";

    @Mixin
    HostOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunCommand run = new RunCommand();
        run.parent = this;
        run.spec = spec;
        return run.call();
    }

    /** Prints the host version. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sockethost " + HostVersion.full() + " (Java " + Runtime.version() + ")"};
        }
    }
}
