package io.sockethost.bench.peer;

import java.nio.file.Path;

/** A server process did not come up: it exited, or did not serve within the time allowed. */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Where the process's output is kept, or null: for the progress log, not the report (it is a local path). */
    private final transient Path log;

    public StartFailure(String message, Path log) {
        super(message);
        this.log = log;
    }

    /** "; server log kept in <folder>" for the progress log, or "" if the output was not kept. */
    public String keptLog() {
        return log == null ? "" : "; server log kept in " + log;
    }
}
