package io.sockethost.bench.peer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How to start one server process. */
public record Launch(List<String> command, Path workDir, Map<String, String> environment) {
    public Launch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    public Launch(List<String> command, Path workDir) {
        this(command, workDir, Map.of());
    }
}
