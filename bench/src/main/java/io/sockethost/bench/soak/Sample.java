package io.sockethost.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the soak watches in the host process, read from Linux's {@code /proc/<pid>}: resident memory, threads
 * and open file descriptors. A value that cannot be read is -1 (the process is gone).
 *
 * @param rssKiB {@code VmRSS} of {@code /proc/<pid>/status}
 * @param threads {@code Threads} of the same file: every thread of the JVM, its own included
 * @param fds the entries of {@code /proc/<pid>/fd}
 */
record Sample(long rssKiB, long threads, long fds) {

    /** Reads the three values now. */
    static Sample of(long pid) {
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Sample(-1, -1, -1);
        }
        long fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = entries.count();
        } catch (IOException | RuntimeException e) {
            fds = -1;
        }
        return new Sample(rss, threads, fds);
    }

    /** The larger of each value: the peak of a series of samples. */
    Sample max(Sample other) {
        return new Sample(Math.max(rssKiB, other.rssKiB), Math.max(threads, other.threads), Math.max(fds, other.fds));
    }
}
