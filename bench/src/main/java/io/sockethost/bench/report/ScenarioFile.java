package io.sockethost.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.sockethost.bench.scenario.ScenarioResult;

/**
 * One scenario's raw results as stored in {@code docs/bench/<name>.json}, with when, how and where they
 * were measured. A run of one scenario replaces its file only; the report is rebuilt from all of them.
 *
 * @param generated ISO-8601 time the scenario finished
 * @param profile FULL, QUICK or SMOKE
 */
public record ScenarioFile(String generated, String profile, double serverWarmupSeconds, double warmupSeconds,
                           double durationSeconds,
                           int clientThreads, double fixedRate, MachineInfo machine, ScenarioResult result) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(result.name() + ".json").toFile(), this);
    }

    /** Every scenario file in {@code dir} whose name is in {@code names}, in that order. */
    public static List<ScenarioFile> readAll(Path dir, List<String> names) throws IOException {
        List<ScenarioFile> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        for (String name : names) {
            Path file = dir.resolve(name + ".json");
            if (Files.isRegularFile(file)) {
                files.add(JSON.readValue(file.toFile(), ScenarioFile.class));
            }
        }
        return files;
    }
}
