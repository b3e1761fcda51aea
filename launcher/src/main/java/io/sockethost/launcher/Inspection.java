package io.sockethost.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.ConfigProblem;
import io.sockethost.core.host.Host;
import io.sockethost.core.host.HostLayout;
import io.sockethost.core.plugin.HostVersion;
import io.sockethost.core.plugin.LoadedPlugin;
import io.sockethost.core.plugin.PluginCatalog;
import io.sockethost.core.plugin.PluginFailure;

/**
 * A host folder loaded and validated, with nothing started: the plugins that loaded, the jars that were
 * skipped and why, and either a {@link Host} ready to start or every configuration problem. Closing it
 * unloads the plugins (unless the host was handed on with {@link #takeHost()}).
 */
final class Inspection implements AutoCloseable {
    private final HostLayout layout;
    private final List<LoadedPlugin> plugins;
    private final List<PluginFailure> failures;
    private final List<ConfigProblem> problems;
    private Host host;

    private Inspection(HostLayout layout, PluginCatalog catalog, Host host, List<ConfigProblem> problems) {
        this.layout = layout;
        this.plugins = catalog.plugins();
        this.failures = catalog.failures();
        this.host = host;
        this.problems = List.copyOf(problems);
    }

    /**
     * @param earlier problems found before loading (folders named that do not exist); with any, the host is
     *     still checked, so that every problem is listed, but not handed on
     */
    static Inspection of(HostLayout layout, List<ConfigProblem> earlier) throws IOException {
        PluginCatalog catalog = PluginCatalog.load(layout.pluginsDir(), HostVersion.release());
        Host host = null;
        List<ConfigProblem> problems = new ArrayList<>(earlier);
        try {
            host = Host.load(layout, catalog);
        } catch (ConfigException e) {
            // Host.load has closed the catalog; what it loaded is still listed.
            problems.addAll(e.problems());
        }
        if (host != null && !earlier.isEmpty()) {
            host.close();
            host = null;
        }
        return new Inspection(layout, catalog, host, problems);
    }

    HostLayout layout() {
        return layout;
    }

    List<LoadedPlugin> plugins() {
        return plugins;
    }

    List<PluginFailure> failures() {
        return failures;
    }

    /** @return every configuration problem; empty if and only if {@link #host()} is present */
    List<ConfigProblem> problems() {
        return problems;
    }

    /** @return the loaded, validated host, or {@code null} if the configuration is invalid */
    Host host() {
        return host;
    }

    /** Hands the host to the caller, who must stop it; this inspection no longer closes it. */
    Host takeHost() {
        Host taken = host;
        host = null;
        return taken;
    }

    /** A path under the home folder as the operator sees it in the distribution, e.g. {@code plugins/echo.jar}. */
    String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(layout.home()) ? layout.home().relativize(absolute).toString() : absolute.toString();
    }

    /** One line per skipped jar: {@code plugins/x.jar: skipped: why}. */
    void printFailures(PrintWriter to, String indent) {
        for (PluginFailure failure : failures) {
            to.println(indent + display(failure.path()) + ": skipped: " + failure.reason());
        }
    }

    /** @return what the configuration check found worth knowing that does not stop the host */
    List<ConfigProblem> warnings() {
        return host == null ? List.of() : host.warnings();
    }

    /** One line per warning: {@code file: json.path: warning: what was found}. */
    void printWarnings(PrintWriter to, String indent) {
        for (ConfigProblem warning : warnings()) {
            to.println(indent + warning.file() + ": " + (warning.path().isEmpty() ? "" : warning.path() + ": ")
                    + "warning: " + warning.message());
        }
    }

    /**
     * One line per configuration problem: {@code file: json.path: what is wrong and what is allowed}, including
     * the servers that no loaded plugin declares ({@code run} skips those).
     */
    void printProblems(PrintWriter to, String indent) {
        for (ConfigProblem problem : allProblems()) {
            to.println(indent + problem);
        }
    }

    /** @return the configuration problems and the servers {@code run} would skip for want of their plugin */
    List<ConfigProblem> allProblems() {
        List<ConfigProblem> all = new java.util.ArrayList<>(problems);
        if (host != null) {
            host.skippedServers().forEach(s -> all.add(s.problem()));
        }
        return all;
    }

    /**
     * For the commands that need a valid host ({@code run}, {@code config}): prints the skipped jars (unless
     * the host logs them itself, as {@code run} does), then every configuration problem if there is any.
     *
     * @return true if the host can be used
     */
    boolean reportForUse(PrintWriter err, boolean printFailures) {
        if (printFailures) {
            printFailures(err, "sockethost: ");
        }
        printWarnings(err, "sockethost: ");
        if (!problems.isEmpty()) {
            err.println("sockethost: invalid configuration:");
            printProblems(err, "  ");
        }
        err.flush();
        return problems.isEmpty();
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
            host = null;
        }
    }
}
