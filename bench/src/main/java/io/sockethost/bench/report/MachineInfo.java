package io.sockethost.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sockethost.bench.scenario.Context;
import io.sockethost.bench.system.Commands;
import io.sockethost.bench.system.ProcStats;

/**
 * The machine and software a run measured on, as the report states it.
 *
 * @param loadBefore the 1/5/15-minute load averages when the run started: other work on the machine
 */
public record MachineInfo(int cores, String cpu, String memory, String os, String kernel, String jdk,
                          String jdkVirtualThreads, String python, String nginx, String wrk, String netty,
                          List<Double> loadBefore) {

    public static MachineInfo collect(Context context) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel(), memoryTotal(), osName(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                context.env().jvm().version() + " (" + System.getProperty("java.vm.vendor") + ", " + context.env().jvm().home() + ")",
                context.env().virtualThreadsJvm().map(j -> j.version() + " (" + j.home() + ")").orElse("none found"),
                context.python().isEmpty() ? "not installed" : context.python(),
                context.nginx().isEmpty() ? "not installed" : context.nginx(),
                context.env().wrk().map(w -> Commands.output(List.of(w.toString(), "-v")).lines().findFirst().orElse("wrk"))
                        .orElse("not installed (the harness's HTTP/1.1 client is used)"),
                nettyVersion(), ProcStats.loadAverage());
    }

    private static String nettyVersion() {
        var versions = io.netty.util.Version.identify();
        var transport = versions.get("netty-transport");
        return transport == null ? "unknown" : transport.artifactVersion();
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memoryTotal() {
        return firstValue(Path.of("/proc/meminfo"), "MemTotal").map(v -> {
            long kib = Long.parseLong(v.replaceAll("[^0-9]", ""));
            return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        }).orElse("unknown");
    }

    private static String osName() {
        return firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"));
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    int sep = line.indexOf(line.contains(":") ? ':' : '=');
                    return java.util.Optional.of(line.substring(sep + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the caller's default
        }
        return java.util.Optional.empty();
    }
}
