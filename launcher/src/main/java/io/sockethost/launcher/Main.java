package io.sockethost.launcher;

import java.io.PrintWriter;
import java.util.function.Consumer;

import io.sockethost.core.host.HostLayout;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Entry point of {@code bin/sockethost}: parses the command line, configures logging, runs the command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Warmup.start();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = execute(args, out, err, layout -> Logging.configure(layout, err));
        out.flush();
        err.flush();
        ExitWatch.expectExit();
        System.exit(status);
    }

    /**
     * Runs one command line and returns its exit code (see {@link ExitCodes}) without exiting.
     *
     * @param beforeRun called with the folders the command will use, after parsing and before the command
     *     runs (and so before the first logger is made); not called for {@code --help} or {@code --version}
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Consumer<HostLayout> beforeRun) {
        CommandLine cli = new CommandLine(new SockethostCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parsed -> {
            if (!helpRequested(parsed)) {
                beforeRun.accept(((SockethostCommand) cli.getCommand()).options.layout());
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("sockethost " + commandLine.getCommandName() + ": failed: " + e);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                commandLine.getErr().println("  caused by: " + cause);
            }
            commandLine.getErr().flush();
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }

    private static boolean helpRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested() || p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return true;
            }
        }
        return false;
    }
}
