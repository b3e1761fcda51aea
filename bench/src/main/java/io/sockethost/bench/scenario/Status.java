package io.sockethost.bench.scenario;

/** Whether a row was measured. */
public enum Status {
    OK,
    /** Not measured, for a reason that is not a fault (a tool, a JDK or a plugin is missing here). */
    SKIPPED,
    /** The server did not start or broke down; the note says how. */
    FAILED
}
