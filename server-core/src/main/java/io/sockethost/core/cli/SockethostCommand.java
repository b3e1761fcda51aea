package io.sockethost.core.cli;

import java.util.concurrent.Callable;

import io.sockethost.core.host.HostVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sockethost}: without a command, runs the host ({@code sockethost run}). */
@Command(name = "sockethost", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "Runs socket servers from PF4J plugins, after Python's socketserver.",
        subcommands = {RunCommand.class, picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:unexpected failure", "2:usage error",
            "3:invalid configuration or plugin", "4:a server could not bind its address"})
public final class SockethostCommand implements Callable<Integer> {
    @Mixin
    HostOptions options;

    @Override
    public Integer call() throws Exception {
        RunCommand run = new RunCommand();
        run.options = options;
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
