package io.sockethost.plugins.loginauth;

import java.nio.file.Path;

/**
 * A users file that cannot be used, with the file and line at fault. The message reads
 * {@code <file>:<line>: <problem>}, as compilers write it, and never quotes the line.
 */
final class UsersFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /** @param line 1-based, or 0 when the problem is the whole file */
    UsersFileException(Path file, int line, String problem) {
        super(file.toAbsolutePath() + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    Path file() {
        return file;
    }

    /** @return the 1-based line at fault, or 0 when the problem is the whole file */
    int line() {
        return line;
    }
}
