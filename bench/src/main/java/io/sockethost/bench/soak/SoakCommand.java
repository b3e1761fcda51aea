package io.sockethost.bench.soak;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar bench/target/bench.jar soak}: the built distribution under a long mixed load, then the
 * check that it gave back what the load took (issue 19, item 6). Everything stays on loopback; the run stops
 * by itself (after {@code --requests}, or at {@code --max-minutes}) and always stops the host.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Sends mixed requests (echo tcp and udp, http-lite, login-auth with wrong passwords, resets at every "
                + "protocol step) to the built distribution, then checks that threads and file descriptors are back at "
                + "their idle values and the heap after a full GC is within 10 %% of before; prints the result as Markdown."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:passed", "1:a check failed, or the run could not be made",
            "2:usage error"})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--requests", paramLabel = "N", description = "Requests of the load (default: ${DEFAULT-VALUE}).")
    long requests = 1_000_000;

    @Option(names = "--warmup", paramLabel = "N", description = "Requests before the idle values are taken (default: ${DEFAULT-VALUE}).")
    long warmup = 4_000;

    @Option(names = "--clients", paramLabel = "N", description = "Client threads (default: ${DEFAULT-VALUE}).")
    int clients = 8;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "Rest after the load before the last RSS reading "
            + "(default: ${DEFAULT-VALUE}; the launcher's periodic GC runs every 30 s when idle).")
    long idleSeconds = 75;

    @Option(names = "--max-minutes", paramLabel = "M", description = "The load stops here even if requests remain (default: ${DEFAULT-VALUE}).")
    long maxMinutes = 120;

    @Option(names = "--distribution", paramLabel = "DIR", description = "The unpacked distribution (default: "
            + "distribution/target/sockethost-*/ of the source tree two folders above bench.jar).")
    Path distribution;

    @Option(names = "--java", paramLabel = "JDK", description = "JAVA_HOME for the host (default: this JVM's).")
    Path javaHome;

    @Option(names = "--java-opts", paramLabel = "OPTS", description = "JAVA_OPTS for the host (default: none, the launcher's own flags).")
    String javaOpts;

    /** How long threads and descriptors must stay unchanged to count as at rest: past the 30 s keep-alive of an idle worker. */
    private static final Duration STABLE = Duration.ofSeconds(35);

    private final AtomicReference<Sample> peak = new AtomicReference<>(new Sample(-1, -1, -1));

    @Override
    public Integer call() throws Exception {
        Path dist = distribution != null ? distribution : findDistribution();
        Path jdk = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
        Path work = Files.createTempDirectory("sockethost-soak-");
        try (SoakHost host = SoakHost.start(dist, work, jdk, javaOpts, Duration.ofSeconds(120))) {
            SoakReport report = soak(host, new HeapProbe(jdk), javaVersion(jdk));
            System.out.println();
            System.out.print(report.markdown());
            return report.failures().isEmpty() ? 0 : 1;
        } finally {
            deleteTree(work);
        }
    }

    private SoakReport soak(SoakHost host, HeapProbe heap, String java) throws Exception {
        long pid = host.pid();
        // jcmd's first attach starts the JVM's attach listener (a thread and a socket): before the idle values
        heap.attach(pid);
        Traffic warm = traffic(host);
        load(warm, warmup, pid);
        log("warm-up: %d requests, %d errors; waiting for the host to settle", warmup, warm.errorCount());
        Sample idle = settle(pid, s -> true, Duration.ofSeconds(180));
        long heapBefore = heap.usedAfterFullGcKiB(pid);
        log("idle: %s, heap after a full GC %d KiB", idle, heapBefore);

        Traffic traffic = traffic(host);
        peak.set(idle);
        long start = System.nanoTime();
        boolean finished = load(traffic, requests, pid);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Sample afterLoad = Sample.of(pid);
        log("load: %d requests in %d s, %d errors%s; now %s", traffic.done.get(), took.toSeconds(), traffic.errorCount(),
                finished ? "" : " (stopped at --max-minutes)", afterLoad);
        Sample settled = settle(pid, s -> s.threads() <= idle.threads() && s.fds() <= idle.fds(), Duration.ofSeconds(180));
        log("settled: %s", settled);
        Sample rested = rest(pid);
        long heapAfter = heap.usedAfterFullGcKiB(pid);
        if (!host.alive()) {
            throw new IllegalStateException("the host exited: " + host.exitReport());
        }
        // a load cut short by --max-minutes did not soak what it was asked to: that fails the run too
        long errors = traffic.errorCount() + (finished ? 0 : 1);
        return new SoakReport(java, traffic.done.get(), took, traffic.sent(), traffic.errors(), errors, idle, peak.get(),
                afterLoad, settled, rested.rssKiB(), idleSeconds, heapBefore, heapAfter, host.warnings());
    }

    private Traffic traffic(SoakHost host) {
        return new Traffic(host.address("echo-tcp"), host.address("echo-udp"), host.address("http-lite"),
                host.address("login-auth"));
    }

    /**
     * Runs {@code count} requests on {@link #clients} threads, sampling the host every second for the peak.
     *
     * @return false if {@code --max-minutes} stopped it first
     */
    private boolean load(Traffic traffic, long count, long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(maxMinutes).toNanos();
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                try (Traffic.Client client = traffic.new Client()) {
                    for (long i = next.getAndIncrement(); i < count && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                        traffic.run(i, client);
                    }
                }
            }, "soak-client-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        long lastLog = System.nanoTime();
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(1_000);
                Sample now = Sample.of(pid);
                peak.updateAndGet(p -> p.max(now));
                if (System.nanoTime() - lastLog > 30_000_000_000L) {
                    lastLog = System.nanoTime();
                    log("%,d of %,d requests, %d errors; host %s", traffic.done.get(), count, traffic.errorCount(), now);
                }
            }
        }
        return traffic.done.get() >= count;
    }

    /**
     * Waits until threads and file descriptors have not changed for {@link #STABLE} and {@code done} holds,
     * or {@code timeout} passes. A threading server keeps an idle worker thread for 30 s, and the server
     * finishes connections the clients closed for a while, so the host takes that long to come to rest.
     */
    private static Sample settle(long pid, Predicate<Sample> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Sample last = Sample.of(pid);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            Sample now = Sample.of(pid);
            if (now.threads() != last.threads() || now.fds() != last.fds()) {
                stableSince = System.nanoTime();
            }
            last = now;
            if (done.test(now) && System.nanoTime() - stableSince >= STABLE.toNanos()) {
                break;
            }
        }
        return last;
    }

    /** Rests for {@code --idle-seconds}: the launcher's periodic collection is to give the load's memory back. */
    private Sample rest(long pid) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(idleSeconds).toNanos();
        Sample last = Sample.of(pid);
        while (System.nanoTime() < end) {
            Thread.sleep(1_000);
            last = Sample.of(pid);
        }
        log("after %d s idle: %s", idleSeconds, last);
        return last;
    }

    private static Path findDistribution() throws Exception {
        Path code = Path.of(SoakCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        Path target = code.getParent().getParent().getParent().resolve("distribution/target");
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(target, "sockethost-*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && Files.isExecutable(dir.resolve("bin/sockethost"))) {
                    return dir;
                }
            }
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalStateException("no unpacked distribution in " + target
                + " (build it: mvn -B -ntp -DskipTests package), or give --distribution");
    }

    private static String javaVersion(Path jdk) throws IOException {
        for (String line : Files.readAllLines(jdk.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return "Java " + line.substring(13).replace("\"", "");
            }
        }
        return "Java (unknown version)";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "soak: " + format + "%n", args);
    }
}
