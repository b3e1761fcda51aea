package io.sockethost.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An operator's override file: {@code conf/sockethost.json} or one of {@code conf/servers/*.json}.
 *
 * <pre>{ "host": { "shutdownTimeout": 10 }, "servers": { "echo-tcp": { "address": "0.0.0.0:8000" } } }</pre>
 *
 * @param file the path as shown in messages
 * @param host the {@code host} block, or {@code null}
 * @param servers server name to its merge patch, in file order
 */
public record OverrideFile(String file, HostSettings.Declaration host, Map<String, JsonNode> servers) {

    public static final String MAIN_FILE = "sockethost.json";
    public static final String SERVERS_DIR = "servers";

    /** Reads {@code conf/sockethost.json} then {@code conf/servers/*.json} in name order; absent files are skipped. */
    public static List<OverrideFile> readAll(Path confDir) throws ConfigException {
        List<Path> files = new ArrayList<>();
        Path main = confDir.resolve(MAIN_FILE);
        if (Files.isRegularFile(main)) {
            files.add(main);
        }
        Path serversDir = confDir.resolve(SERVERS_DIR);
        if (Files.isDirectory(serversDir)) {
            try (Stream<Path> list = Files.list(serversDir)) {
                list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new ConfigException(new ConfigProblem(serversDir.toString(), "", "cannot list: " + e.getMessage()));
            }
        }
        List<OverrideFile> result = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                result.add(read(file));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return result;
    }

    public static OverrideFile read(Path path) throws ConfigException {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(name, "", "cannot read: " + e.getMessage()));
        }
        return parse(name, StrictJson.readTree(text, name));
    }

    static OverrideFile parse(String name, JsonNode root) throws ConfigException {
        if (root == null || root.isMissingNode()) {
            return new OverrideFile(name, null, Map.of());
        }
        if (!root.isObject()) {
            throw new ConfigException(new ConfigProblem(name, "", "expected a JSON object with \"host\" and \"servers\""));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        HostSettings.Declaration host = null;
        Map<String, JsonNode> servers = new LinkedHashMap<>();
        Iterator<String> fields = root.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            JsonNode value = root.get(field);
            switch (field) {
                case "host" -> {
                    try {
                        host = StrictJson.bind(value, HostSettings.Declaration.class, name, "host");
                    } catch (ConfigException e) {
                        problems.addAll(e.problems());
                    }
                }
                case "servers" -> {
                    if (!value.isObject()) {
                        problems.add(new ConfigProblem(name, "servers", "expected an object of server name to overrides"));
                    } else {
                        value.properties().forEach(e -> servers.put(e.getKey(), e.getValue()));
                    }
                }
                case "$schema", "_comment" -> {
                    // documentation fields, ignored
                }
                default -> problems.add(new ConfigProblem(name, field,
                        "unknown field \"" + field + "\"; allowed fields: host, servers"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new OverrideFile(name, host, servers);
    }
}
