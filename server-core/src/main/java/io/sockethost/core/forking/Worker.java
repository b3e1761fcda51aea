package io.sockethost.core.forking;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;

import io.sockethost.core.config.Addresses;

/**
 * One worker process of a server, as its pool sees it. The state fields are guarded by the pool's lock;
 * {@link #outOfMemory} is set by the output pump.
 */
final class Worker {
    /** Where a worker is in its life; an exited worker is no longer in its pool. */
    enum State {
        /** Started, has not connected yet. */
        STARTING,
        /** Connected, waiting for a request. */
        IDLE,
        /** Serving a request. */
        BUSY,
        /** Its request is over on the host's side; it will connect again for the next one. */
        RETURNING,
        /** Served its last request, or was let go while idle, and is exiting. */
        RETIRING
    }

    final long id;
    final Process process;
    private final OutputStream lifeline;

    State state = State.STARTING;
    /** Requests handed to it. */
    int handed;
    /** Requests it reported complete (by connecting again). */
    int completed;
    /** The client of the last request handed to it. */
    SocketAddress client;
    /** Why the host killed it, or {@code null}. */
    String killReason;
    volatile boolean outOfMemory;

    Worker(long id, Process process) {
        this.id = id;
        this.process = process;
        this.lifeline = process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    /** @return true while a request handed to it has not been reported complete */
    boolean serving() {
        return handed > completed;
    }

    /** Kills the process at once (SIGKILL); the reason is what the host logs when it reaps it. */
    void kill(String reason) {
        killReason = reason;
        process.destroyForcibly();
    }

    /** Closes its stdin: a worker exits when its stdin ends, which is also how it notices a dead host. */
    void stop() {
        try {
            lifeline.close();
        } catch (IOException e) {
            process.destroyForcibly(); // the pipe is broken: the process is on its way out anyway
        }
    }

    /** Why it exited, for the host's log, e.g. {@code ran out of memory (exit status 3)}. */
    String exitCause(int status) {
        if (killReason != null) {
            return "was killed: " + killReason;
        }
        if (outOfMemory) {
            return "ran out of memory (java.lang.OutOfMemoryError; exit status " + status + ")";
        }
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            return "was killed by signal " + signal + switch (signal) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 6 -> " (SIGABRT: the JVM crashed; look for an hs_err_pid" + pid() + ".log)";
                case 11 -> " (SIGSEGV)";
                default -> "";
            };
        }
        return "exited with status " + status;
    }

    /** Where it was when it exited, e.g. {@code while serving client 127.0.0.1:40000}. */
    String whereabouts() {
        if (serving()) {
            return "while serving client " + Addresses.format(client);
        }
        return switch (state) {
            case STARTING -> "before it was ready";
            case IDLE, BUSY, RETURNING -> "while idle";
            case RETIRING -> "on its way out";
        };
    }
}
