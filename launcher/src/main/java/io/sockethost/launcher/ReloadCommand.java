package io.sockethost.launcher;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;

/**
 * {@code sockethost reload}: finds the host running from this installation through
 * {@code run/sockethost.pid} and sends it SIGHUP, which makes it read {@code conf/} and {@code plugins/}
 * again (like {@code nginx -s reload}). The outcome is in the host's log; a configuration with problems
 * changes nothing there.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = SockethostCommand.Version.class,
        description = "Make the running host re-read conf/ and plugins/ (sends SIGHUP to the pid in run/sockethost.pid). "
                + "Unchanged servers keep their connections; a configuration with problems changes nothing and the host "
                + "logs every problem.",
        exitCodeListHeading = SockethostCommand.EXIT_CODES_HEADING, exitCodeList = {
            "0:the signal was sent", "1:no running host found, or the signal could not be sent", "2:usage error"})
final class ReloadCommand extends HostCommand {

    @Override
    public Integer call() throws Exception {
        PrintWriter err = err();
        PidFile pidFile = new PidFile(layout().home());
        Optional<Long> pid = pidFile.read();
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(ReloadCommand::isJava);
        if (process.isEmpty()) {
            err.println("sockethost reload: no running host: " + (pid.isEmpty() ? pidFile.path() + " is missing"
                    : "process " + pid.get() + " named in " + pidFile.path() + " is not running"));
            err.flush();
            return ExitCodes.FAILURE;
        }
        if (ignoresSighup(pid.get())) {
            err.println("sockethost reload: process " + pid.get() + " ignores SIGHUP (it was started under nohup, or"
                    + " with SIGHUP ignored), so it cannot reload; restart it without nohup, or set host.watchPlugins");
            err.flush();
            return ExitCodes.FAILURE;
        }
        Process kill = new ProcessBuilder("kill", "-s", "HUP", pid.get().toString()).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            err.println("sockethost reload: cannot signal process " + pid.get() + ": " + output);
            err.flush();
            return ExitCodes.FAILURE;
        }
        out().println("sent SIGHUP to sockethost (pid " + pid.get() + "); its log shows what the reload changed");
        out().flush();
        return ExitCodes.OK;
    }

    /**
     * Whether the process ignores SIGHUP, where the kernel says (Linux's {@code /proc/<pid>/status}); a signal
     * sent there would be lost without a word. Elsewhere, or if the file cannot be read: false.
     */
    static boolean ignoresSighup(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1L) != 0; // bit 0: signal 1
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or the process is gone: let kill say what it finds
        }
        return false;
    }

    /** A pid file outlives a host killed with SIGKILL, and the number may be reused: only signal a JVM. */
    private static boolean isJava(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("java") || c.contains("/java")).orElse(true);
    }
}
