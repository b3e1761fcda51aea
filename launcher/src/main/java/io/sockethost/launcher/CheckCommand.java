package io.sockethost.launcher;

import java.io.PrintWriter;
import java.util.List;

import io.sockethost.core.config.ServerConfig;
import picocli.CommandLine.Command;

/**
 * {@code sockethost check}: loads the plugins and the configuration exactly as {@code run} does, starts
 * nothing, and prints every problem: each skipped plugin jar with its reason, each configuration problem
 * with its file, JSON path and what is allowed. Exits {@link ExitCodes#CONFIG} if there is any.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "Validate conf/ and plugins/ without starting anything; list every problem.",
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING, exitCodeList = {
            "0:no problem found", "1:unexpected failure", "2:usage error",
            "3:a plugin jar was skipped or the configuration is invalid (every problem is printed)"})
final class CheckCommand extends HostCommand {

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (Inspection inspection = inspect()) {
            int count = inspection.failures().size() + inspection.allProblems().size();
            out.println("checked " + inspection.layout().confDir() + " and " + inspection.layout().pluginsDir());
            if (count > 0) {
                out.println(count + (count == 1 ? " problem:" : " problems:"));
                inspection.printFailures(out, "  ");
                inspection.printProblems(out, "  ");
                out.flush();
                return ExitCodes.CONFIG;
            }
            inspection.printWarnings(out, "  ");
            List<ServerConfig> servers = inspection.host().configurations();
            long enabled = servers.stream().filter(ServerConfig::enabled).count();
            out.println("OK: " + inspection.plugins().size() + " plugin(s), " + servers.size() + " server(s), "
                    + enabled + " enabled");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
