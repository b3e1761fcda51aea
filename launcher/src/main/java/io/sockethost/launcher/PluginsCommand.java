package io.sockethost.launcher;

import java.io.PrintWriter;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.plugin.LoadedPlugin;
import picocli.CommandLine.Command;

/**
 * {@code sockethost plugins}: every plugin that loaded, with its id, version, state, jar and servers (with
 * their effective transport, address, concurrency and whether they are enabled), then every jar that was
 * skipped, with its reason. If the configuration is invalid the servers are listed by name only.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "List the plugins with their state and servers, and every skipped jar with its error.",
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING, exitCodeList = {
            "0:listed (also when a jar was skipped: it is listed with its error)", "1:unexpected failure",
            "2:usage error"})
final class PluginsCommand extends HostCommand {

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (Inspection inspection = inspect()) {
            out.println("plugins in " + inspection.layout().pluginsDir() + ": " + inspection.plugins().size()
                    + " loaded, " + inspection.failures().size() + " skipped");
            for (LoadedPlugin plugin : inspection.plugins()) {
                out.println(plugin.id() + " " + plugin.version() + "  loaded  " + inspection.display(plugin.path()));
                if (plugin.description() != null && !plugin.description().isBlank()) {
                    out.println("    " + plugin.description());
                }
                serverLines(inspection, plugin).forEach(line -> out.println("    " + line));
            }
            inspection.printFailures(out, "");
            if (!inspection.problems().isEmpty()) {
                out.println("the configuration is invalid (" + inspection.problems().size()
                        + " problem(s)); run 'sockethost check' for details");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static String address(Inspection inspection, SocketAddress address) {
        return address instanceof UnixDomainSocketAddress unix ? inspection.display(unix.getPath()) : Addresses.format(address);
    }

    private static List<String> serverLines(Inspection inspection, LoadedPlugin plugin) {
        List<String> lines = new ArrayList<>();
        if (inspection.host() != null) {
            for (ServerConfig c : inspection.host().configurations()) {
                if (c.pluginId().equals(plugin.id())) {
                    lines.add("server " + c.name() + "  " + c.transport() + " " + address(inspection, c.address()) + "  "
                            + c.concurrency().summary() + "  " + (c.enabled() ? "enabled" : "disabled"));
                }
            }
            return lines;
        }
        JsonNode declared = plugin.descriptor().servers();
        if (declared != null && declared.isArray()) {
            for (JsonNode server : declared) {
                lines.add("server " + server.path("name").asText("?") + "  (as declared; configuration invalid)");
            }
        }
        return lines;
    }
}
