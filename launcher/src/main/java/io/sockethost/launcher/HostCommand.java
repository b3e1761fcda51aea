package io.sockethost.launcher;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.sockethost.core.host.HostLayout;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A subcommand of {@code sockethost}: it reads the folder options from the top-level command (where they
 * are declared once, inherited by every subcommand) and prints to picocli's streams, so that tests can
 * capture its output.
 */
abstract class HostCommand implements Callable<Integer> {
    @ParentCommand
    SockethostCommand parent;

    @Spec
    CommandSpec spec;

    HostLayout layout() {
        return parent.options.layout();
    }

    /** Loads and checks the host folder the options name, a folder that does not exist being a problem too. */
    Inspection inspect() throws java.io.IOException {
        return Inspection.of(layout(), parent.options.missingFolders());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
