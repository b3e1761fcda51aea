package io.sockethost.bench.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU time and resident memory of processes, from Linux's {@code /proc}. Every method returns empty (or
 * NaN) where {@code /proc} is not there, so the harness still runs elsewhere, with fewer columns.
 */
public final class ProcStats {
    /** /proc reports CPU time in clock ticks of USER_HZ, which is 100 on every Linux ABI the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /**
     * CPU seconds used by a process and its descendants: its own time, the time of children it has reaped,
     * and the time of descendants still running.
     */
    public static double cpuSeconds(ProcessHandle process) {
        OptionalLong own = ticks(process.pid(), true);
        if (own.isEmpty()) {
            return Double.NaN;
        }
        long total = own.getAsLong();
        for (ProcessHandle child : process.descendants().toList()) {
            total += ticks(child.pid(), false).orElse(0);
        }
        return total / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds used by this process and by the children it has reaped (wrk, after it exits), but not by
     * the servers it is running, which are accounted for by {@link #cpuSeconds}.
     */
    public static double selfCpuSeconds() {
        OptionalLong own = ticks(ProcessHandle.current().pid(), true);
        return own.isPresent() ? own.getAsLong() / TICKS_PER_SECOND : Double.NaN;
    }

    /** CPU seconds the whole machine spent busy (all cores), from {@code /proc/stat}. */
    public static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size of a process and its descendants, in KiB. */
    public static long rssKiB(ProcessHandle process) {
        long total = rss(process.pid());
        if (total < 0) {
            return -1;
        }
        for (ProcessHandle child : process.descendants().toList()) {
            total += Math.max(0, rss(child.pid()));
        }
        return total;
    }

    /** The 1-, 5- and 15-minute load averages, or empty. */
    public static List<Double> loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether a process has exited: it is gone, or it is a zombie (dead, holding no memory, port or file, only
     * waiting to be reaped; an orphan's reaper, process 1, may take a second or more).
     */
    public static boolean exited(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String state = stat(process.pid())[0];
            return state.equals("Z") || state.equals("X");
        } catch (IOException | RuntimeException e) {
            return !process.isAlive();
        }
    }

    /** The fields of {@code /proc/<pid>/stat} from the third (state) on. */
    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the command name may hold spaces and parentheses: fields are counted after the last ')'
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** utime + stime (+ cutime + cstime when {@code withReaped}) of one process. */
    private static OptionalLong ticks(long pid, boolean withReaped) {
        try {
            String[] f = stat(pid);
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReaped) {
                t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return OptionalLong.of(t);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
