package io.sockethost.core.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/sockethost}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = new CommandLine(new SockethostCommand()).execute(args);
        System.exit(status);
    }
}
