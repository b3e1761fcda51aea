package io.sockethost.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's heap after a full collection, through the JDK's {@code jcmd}: {@code GC.run} (a
 * {@code System.gc()}, a full collection with the launcher's G1), then {@code GC.heap_info}. jcmd attaches
 * to the JVM as the same user, so it needs nothing from the host; it is the one from the JDK the host runs on.
 */
final class HeapProbe {
    /** "garbage-first heap   total 262144K, used 23806K" (17) or "... total reserved 6172672K, committed 98304K, used 19660K" (25). */
    private static final Pattern USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");

    private final Path jcmd;

    HeapProbe(Path javaHome) {
        this.jcmd = javaHome.resolve("bin").resolve("jcmd");
    }

    /** Attaches once ({@code VM.version}), which starts the JVM's attach listener thread and its socket. */
    void attach(long pid) throws IOException, InterruptedException {
        run(pid, "VM.version");
    }

    /**
     * @return the heap in use after a full collection, in KiB
     * @throws IOException if jcmd fails or prints no heap line
     */
    long usedAfterFullGcKiB(long pid) throws IOException, InterruptedException {
        run(pid, "GC.run");
        String info = run(pid, "GC.heap_info");
        long used = parseUsedKiB(info);
        if (used < 0) {
            throw new IOException("no heap line in jcmd GC.heap_info: " + info.strip());
        }
        return used;
    }

    /** @return the heap in use that {@code GC.heap_info} printed, in KiB, or -1 if it printed none */
    static long parseUsedKiB(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String run(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command)).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
