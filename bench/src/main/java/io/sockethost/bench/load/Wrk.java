package io.sockethost.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs <a href="https://github.com/wg/wrk">wrk</a> for an HTTP step: a warm-up run that is discarded, then
 * the measured run, whose summary a Lua script prints as JSON. wrk takes whole seconds.
 */
public final class Wrk {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "BENCH-JSON ";

    private final Path executable;
    private final Path script;
    private final Path logDir;

    /**
     * @param script the Lua reporting script (the harness's {@code wrk-report.lua})
     * @param logDir where wrk's output is kept
     */
    public Wrk(Path executable, Path script, Path logDir) {
        this.executable = executable;
        this.script = script;
        this.logDir = logDir;
    }

    public LoadResult run(LoadSpec spec, LoadClient.WindowObserver observer) throws IOException, InterruptedException {
        String url = "http://" + spec.target().getAddress().getHostAddress() + ":" + spec.target().getPort() + spec.httpPath();
        long warmup = (long) Math.ceil(spec.warmup().toMillis() / 1000.0);
        if (warmup > 0) {
            wrk(spec, warmup, url, "warmup");
        }
        long seconds = Math.max(1, Math.round(spec.duration().toMillis() / 1000.0));
        observer.opened();
        String out = wrk(spec, seconds, url, "run");
        observer.closed();
        JsonNode summary = null;
        for (String line : out.split("\n")) {
            if (line.startsWith(MARK)) {
                summary = JSON.readTree(line.substring(MARK.length()));
            }
        }
        if (summary == null) {
            throw new IOException("wrk printed no summary: " + out.strip());
        }
        Map<String, Long> errors = new HashMap<>();
        for (String kind : List.of("connect", "read", "write", "status", "timeout")) {
            long n = summary.get(kind).asLong();
            if (n > 0) {
                errors.put("wrk " + kind + (kind.equals("status") ? " (not 2xx/3xx)" : " errors"), n);
            }
        }
        long completed = summary.get("requests").asLong() - summary.get("status").asLong();
        Latency latency = completed == 0 ? Latency.NONE : new Latency(summary.get("p50").asDouble(),
                summary.get("p90").asDouble(), summary.get("p99").asDouble(), summary.get("p999").asDouble(),
                summary.get("max").asDouble(), summary.get("mean").asDouble());
        return new LoadResult(completed, summary.get("durationMicros").asLong() / 1e6, errors, latency, "wrk");
    }

    private String wrk(LoadSpec spec, long seconds, String url, String label) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "-t", Integer.toString(spec.threads()), "-c", Integer.toString(spec.connections()),
                "-d", seconds + "s", "--timeout", "2s", "-s", script.toString(), url));
        Path log = logDir.resolve("wrk-" + label + "-" + spec.connections() + "c.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(seconds + 10, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not finish within " + (seconds + 10) + " s");
            }
        } finally {
            process.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("wrk exited with " + process.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
