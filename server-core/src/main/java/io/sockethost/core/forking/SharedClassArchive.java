package io.sockethost.core.forking;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's class-data-sharing archive (an AOT cache on Java 25+), for its workers. {@code bin/sockethost}
 * keeps one for the host's class path; a worker runs on that same class path and loads the same classes
 * (Jackson, PF4J, slf4j, the core), so mapping the archive cuts its start-up as it does the host's. Workers
 * only read it: a host that is still making it ({@code -XX:ArchiveClassesAtExit}, {@code -XX:AOTCacheOutput})
 * gives them none, and a missing or stale file is ignored by the JVM. Stateless.
 */
final class SharedClassArchive {
    private static final String DYNAMIC = "-XX:SharedArchiveFile=";
    private static final String AOT = "-XX:AOTCache=";

    private SharedClassArchive() {
    }

    /**
     * @param workerJvmOptions the descriptor's {@code jvmOptions}
     * @return the options that let a worker map the host's archive, or none
     */
    static List<String> workerOptions(List<String> workerJvmOptions) {
        return workerOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), workerJvmOptions);
    }

    /**
     * @param hostArguments the host JVM's own options
     * @param workerJvmOptions the descriptor's {@code jvmOptions}: if they choose a class archive themselves
     *                         ({@code -Xshare}, an archive file, an AOT cache or mode), the host's is left out,
     *                         since the JVM refuses some of those together
     */
    static List<String> workerOptions(List<String> hostArguments, List<String> workerJvmOptions) {
        if (workerJvmOptions.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchive")
                || o.startsWith("-XX:AOT"))) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        for (String argument : hostArguments) {
            if (argument.startsWith(DYNAMIC) || argument.startsWith(AOT)) {
                String file = argument.substring(argument.indexOf('=') + 1);
                if (!file.isEmpty() && Files.isRegularFile(Path.of(file))) {
                    options.add(argument);
                }
            }
        }
        if (options.isEmpty()) {
            return List.of();
        }
        // The archive was made with the host's module options, which must match for it to be mapped (workers
        // add --enable-native-access themselves); and like the host, a worker need not say when it cannot.
        for (String argument : hostArguments) {
            if (argument.startsWith("--add-exports") || argument.startsWith("-Xlog:cds") || argument.startsWith("-Xlog:aot")) {
                options.add(argument);
            }
        }
        return List.copyOf(options);
    }
}
