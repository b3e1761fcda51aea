package io.sockethost.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.sockethost.core.host.HostLayout;

/**
 * Applies {@code conf/simplelogger.properties} (slf4j-simple's own keys, {@code org.slf4j.simpleLogger.*})
 * as system properties before SLF4J makes its first logger, so that the log level and file come from the
 * configuration folder rather than from the class path. A {@code -D} option (e.g. in {@code JAVA_OPTS})
 * wins over the file. A relative {@code logFile} is resolved against the home folder, not the working
 * directory, and its folder is created.
 */
final class Logging {
    static final String FILE = "simplelogger.properties";
    static final String PREFIX = "org.slf4j.simpleLogger.";
    static final String LOG_FILE = PREFIX + "logFile";

    private Logging() {
    }

    /** Sets the system properties; problems are reported on {@code err} and leave slf4j-simple's defaults. */
    static void configure(HostLayout layout, PrintWriter err) {
        Path file = layout.confDir().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            err.println("sockethost: cannot read " + file + " (" + e.getMessage() + "); logging with the defaults");
            return;
        }
        Map<String, String> resolved = resolve(properties, layout.home(), err, file);
        resolved.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
        createLogFolder(err);
    }

    /** The properties to set: slf4j-simple keys only, with a relative log file made absolute under {@code home}. */
    static Map<String, String> resolve(Properties properties, Path home, PrintWriter err, Path file) {
        Map<String, String> result = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            if (!key.startsWith(PREFIX)) {
                err.println("sockethost: " + file + ": ignoring \"" + key + "\"; only " + PREFIX + "* keys are read");
            } else if (key.equals(LOG_FILE) && !isStream(value)) {
                result.put(key, home.resolve(value).toAbsolutePath().normalize().toString());
            } else {
                result.put(key, value);
            }
        }
        return result;
    }

    private static boolean isStream(String logFile) {
        return logFile.equals("System.err") || logFile.equals("System.out");
    }

    private static void createLogFolder(PrintWriter err) {
        String logFile = System.getProperty(LOG_FILE);
        if (logFile == null || isStream(logFile)) {
            return;
        }
        Path parent = Path.of(logFile).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            // slf4j-simple falls back to standard error when it cannot open the file.
            err.println("sockethost: cannot create the log folder " + parent + " (" + e + "); logging to standard error");
        }
    }
}
