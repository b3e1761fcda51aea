package io.sockethost.bench.peer;

/** A server process did not come up: it exited, or did not serve within the time allowed. */
public final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public StartFailure(String message) {
        super(message);
    }
}
