package io.sockethost.core.host;

/**
 * Hears what a {@link Host} does as a whole, for whoever tells the outside world: systemd's readiness
 * protocol, metrics, health. Every method does nothing by default. Called on the thread that starts,
 * reloads or stops the host, in that order for one event; a listener must be quick and must not throw
 * (an exception is logged and ignored).
 */
public interface HostListener {

    /** {@link Host#start()} has returned: every server that could start is listening. */
    default void started(int servers) {
    }

    /** A reload begins (before anything is read). */
    default void reloading() {
    }

    /**
     * A reload ended.
     *
     * @param applied false if it changed nothing because the configuration was invalid or the host was stopping
     * @param servers the number of servers listening now
     */
    default void reloaded(boolean applied, int servers) {
    }

    /** A stop begins: servers stop accepting and drain. */
    default void stopping() {
    }
}
