package io.sockethost.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
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
 *
 * <p>A log file is opened here, for appending, and slf4j-simple writes to it as standard error: slf4j-simple
 * opens a {@code logFile} itself with truncation, which loses the previous run's log at every start (the log
 * of a crash, in a restart loop) and, once logrotate's {@code copytruncate} has emptied the file, goes on
 * writing at its old offset, leaving a hole of NUL bytes. Opened with {@code O_APPEND}, every write goes to the
 * end of the file as it is at that moment. So from then on {@link System#err} is the log file: a stack trace
 * printed there lands in the log too, while the command's own messages keep the console (they were given
 * the original stream before). Called once, on the main thread, before the first logger is made.
 *
 * <p>An operator may replace slf4j-simple with Logback by swapping jars in {@code lib/}. Logback looks for its
 * configuration on the class path, which {@code conf/} is not on, so a {@code conf/logback.xml} is named to it
 * here through {@code logback.configurationFile} (unless a {@code -D} option names another file); with
 * slf4j-simple that property is read by nobody.
 */
final class Logging {
    static final String FILE = "simplelogger.properties";
    static final String PREFIX = "org.slf4j.simpleLogger.";
    static final String LOG_FILE = PREFIX + "logFile";
    static final String LOGBACK_FILE = "logback.xml";
    static final String LOGBACK_PROPERTY = "logback.configurationFile";

    private Logging() {
    }

    /**
     * Sets the system properties and opens the log file; problems are reported on {@code err} and leave
     * slf4j-simple's defaults.
     */
    static void configure(HostLayout layout, PrintWriter err) {
        applyConfFile(layout, err);
        Path logback = layout.confDir().resolve(LOGBACK_FILE);
        if (System.getProperty(LOGBACK_PROPERTY) == null && Files.isRegularFile(logback)) {
            System.setProperty(LOGBACK_PROPERTY, logback.toAbsolutePath().normalize().toString());
        }
        String logFile = System.getProperty(LOG_FILE);
        if (logFile != null && !isStream(logFile)) {
            appendTo(Path.of(logFile), err);
        }
    }

    private static void applyConfFile(HostLayout layout, PrintWriter err) {
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
        resolve(properties, layout.home(), err, file).forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
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

    /**
     * Points standard error, and slf4j-simple with it, at {@code logFile} opened for appending (see the class
     * comment). When the file cannot be opened the log stays on standard error, as slf4j-simple would do.
     */
    private static void appendTo(Path logFile, PrintWriter err) {
        Path parent = logFile.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            // never closed: it is the log until the JVM exits; slf4j-simple flushes after every line
            PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, Charset.defaultCharset());
            System.setErr(log);
        } catch (IOException | SecurityException e) {
            err.println("sockethost: cannot open the log file " + logFile + " (" + e + "); logging to standard error");
        }
        System.setProperty(LOG_FILE, "System.err");
    }
}
