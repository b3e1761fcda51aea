package io.sockethost.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a soak run measured, and its verdict: after the load, threads and file descriptors are back at their
 * idle values, the heap after a full collection is within {@link #HEAP_TOLERANCE} of the heap before, and
 * every request got its answer.
 *
 * @param idle the host after the warm-up, at rest, before the load
 * @param peak the largest values sampled during the load (each on its own)
 * @param afterLoad the host just after the last request
 * @param settled the host once threads and file descriptors stopped falling (or the wait ended)
 * @param rssAfterIdleKiB resident memory after {@code idleSeconds} at rest, before any forced collection
 * @param heapBeforeKiB heap in use after a full collection, before the load
 * @param heapAfterKiB the same after the load
 * @param hostWarnings the host's WARN and ERROR lines by shape, with their counts
 */
record SoakReport(String java, long requests, Duration loadTime, Map<String, Long> sent, Map<String, String> errors,
                  long errorCount, Sample idle, Sample peak, Sample afterLoad, Sample settled, long rssAfterIdleKiB,
                  long idleSeconds, long heapBeforeKiB, long heapAfterKiB, Map<String, Long> hostWarnings) {
    /** How much larger the heap after a full collection may be after the load than before it. */
    static final double HEAP_TOLERANCE = 0.10;

    /** @return why the run failed; empty if it passed */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (errorCount > 0) {
            failures.add(errorCount + " requests without the protocol's answer: " + errors);
        }
        if (settled.threads() > idle.threads()) {
            failures.add("threads " + settled.threads() + " after the load, " + idle.threads() + " before");
        }
        if (settled.fds() > idle.fds()) {
            failures.add("file descriptors " + settled.fds() + " after the load, " + idle.fds() + " before");
        }
        if (heapAfterKiB > heapBeforeKiB * (1 + HEAP_TOLERANCE)) {
            failures.add(String.format(Locale.ROOT, "heap after a full collection %d KiB after the load, %d KiB before (+%.0f %%, limit %.0f %%)",
                    heapAfterKiB, heapBeforeKiB, 100.0 * (heapAfterKiB - heapBeforeKiB) / heapBeforeKiB, HEAP_TOLERANCE * 100));
        }
        return failures;
    }

    /** The result as Markdown, for docs/SOAK.md. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%s: %,d requests in %d s (%,.0f/s), %d errors: %s%n%n", java, requests,
                loadTime.toSeconds(), requests / Math.max(0.001, loadTime.toMillis() / 1000.0), errorCount,
                failures().isEmpty() ? "**passed**" : "**failed**"));
        md.append("| | idle, before | peak | just after | settled | after ").append(idleSeconds).append(" s idle |\n");
        md.append("|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| RSS (MiB) | %s | %s | %s | %s | %s |%n", mib(idle.rssKiB()), mib(peak.rssKiB()),
                mib(afterLoad.rssKiB()), mib(settled.rssKiB()), mib(rssAfterIdleKiB)));
        md.append(String.format(Locale.ROOT, "| threads | %d | %d | %d | %d | |%n", idle.threads(), peak.threads(),
                afterLoad.threads(), settled.threads()));
        md.append(String.format(Locale.ROOT, "| file descriptors | %d | %d | %d | %d | |%n", idle.fds(), peak.fds(),
                afterLoad.fds(), settled.fds()));
        md.append(String.format(Locale.ROOT, "| heap after a full GC (MiB) | %s | | | | %s (%+.1f %%) |%n%n", mib(heapBeforeKiB),
                mib(heapAfterKiB), 100.0 * (heapAfterKiB - heapBeforeKiB) / Math.max(1, heapBeforeKiB)));
        md.append("Requests per kind: ").append(sent).append("\n\n");
        if (!hostWarnings.isEmpty()) {
            md.append("WARN/ERROR lines in the host's log, by shape:\n\n");
            hostWarnings.forEach((shape, count) -> md.append("- ").append(count).append(" × `")
                    .append(shape.replace("`", "'")).append("`\n"));
            md.append('\n');
        }
        for (String failure : failures()) {
            md.append("- FAILED: ").append(failure).append('\n');
        }
        return md.toString();
    }

    private static String mib(long kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }
}
