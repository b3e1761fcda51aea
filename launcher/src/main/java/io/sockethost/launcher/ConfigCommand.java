package io.sockethost.launcher;

import io.sockethost.core.host.Host;
import picocli.CommandLine.Command;

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

    @Override
    public Integer call() throws Exception {
        try (Inspection inspection = inspect()) {
            if (!inspection.reportForUse(err(), true)) {
                return ExitCodes.CONFIG;
            }
            Host host = inspection.host();
            out().println(EffectiveConfig.toJson(EffectiveConfig.render(host.settings(), host.configurations(),
                    host.plugins().declaredServers(), inspection.layout().home())));
            out().flush();
            return ExitCodes.OK;
        }
    }
}
