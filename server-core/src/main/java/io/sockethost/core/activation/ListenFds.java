package io.sockethost.core.activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sockets systemd passed to this process (socket activation, {@code sd_listen_fds(3)}): descriptors 3 to
 * 3 + {@code LISTEN_FDS} - 1, for this process only if {@code LISTEN_PID} is its pid, named by the
 * colon-separated {@code LISTEN_FDNAMES} ({@code FileDescriptorName=}, by default the socket unit's name).
 * Immutable.
 *
 * @param fds the passed descriptors with their names, in order; empty when nothing was passed to this process
 */
public record ListenFds(List<Passed> fds) {
    /** The first passed descriptor ({@code SD_LISTEN_FDS_START}). */
    public static final int FIRST_FD = 3;

    /** One passed descriptor; {@code name} is empty when systemd gave none. */
    public record Passed(int fd, String name) {
    }

    public ListenFds {
        fds = List.copyOf(fds);
    }

    /**
     * Reads the variables as systemd sets them. Malformed values count as nothing passed: a service started
     * by hand with stale variables must not take descriptors it does not own.
     *
     * @param env the process environment
     * @param pid this process's id
     */
    public static ListenFds parse(Map<String, String> env, long pid) {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null) {
            return new ListenFds(List.of());
        }
        int count;
        try {
            if (Long.parseLong(listenPid.trim()) != pid) {
                return new ListenFds(List.of()); // meant for the process that started us (a forking worker's host)
            }
            count = Integer.parseInt(listenFds.trim());
        } catch (NumberFormatException e) {
            return new ListenFds(List.of());
        }
        String[] names = env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1);
        List<Passed> passed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            passed.add(new Passed(FIRST_FD + i, i < names.length ? names[i] : ""));
        }
        return new ListenFds(passed);
    }

    /** @return the descriptors passed to the running JVM */
    public static ListenFds ofThisProcess() {
        return parse(System.getenv(), ProcessHandle.current().pid());
    }
}
