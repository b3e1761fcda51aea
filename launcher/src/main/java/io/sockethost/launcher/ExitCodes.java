package io.sockethost.launcher;

/** The process exit codes of {@code sockethost}, as documented in the README. */
public final class ExitCodes {
    /** Ran and stopped cleanly, or the check found nothing wrong. */
    public static final int OK = 0;
    /** An unexpected failure. */
    public static final int FAILURE = 1;
    /** Wrong command-line usage. */
    public static final int USAGE = 2;
    /** The configuration or a plugin is invalid; every problem was printed. */
    public static final int CONFIG = 3;
    /** A server could not bind its address. */
    public static final int BIND = 4;

    private ExitCodes() {
    }
}
