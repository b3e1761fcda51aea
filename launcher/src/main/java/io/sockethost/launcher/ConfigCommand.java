package io.sockethost.launcher;

import io.sockethost.core.host.Host;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sockethost config}: prints the effective configuration (the plugins' declarations with the
 * operator's overrides and every default applied) as JSON on standard output, in the format of
 * {@code conf/sockethost.json}: saved as that file (and no other overrides), it starts the same servers.
 */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "Print the effective configuration as JSON, in the format of conf/sockethost.json.",
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING, exitCodeList = {
            "0:printed", "1:unexpected failure", "2:usage error",
            "3:invalid configuration (every problem is printed on standard error)"})
final class ConfigCommand extends HostCommand {
    @Option(names = "--portable", description = "Write the settings whose defaults depend on the Java version"
            + " (virtualThreads, and the maxWorkers and maxConnectionsPerClient sized for them) as null while they"
            + " are at their defaults, so that the file suits any Java; conf/sockethost.json is written so.")
    private boolean portable;

    @Override
    public Integer call() throws Exception {
        try (Inspection inspection = inspect()) {
            if (!inspection.reportForUse(err(), true)) {
                return ExitCodes.CONFIG;
            }
            Host host = inspection.host();
            out().println(EffectiveConfig.toJson(EffectiveConfig.render(host.settings(), host.configurations(),
                    host.plugins().declaredServers(), inspection.layout().home(), portable)));
            out().flush();
            return ExitCodes.OK;
        }
    }
}
