package io.sockethost.core.forking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.event.Level;

/**
 * The level at which the host logs a line of a worker's stderr. A worker logs through slf4j-simple in a fixed
 * shape ({@link WorkerLauncher} turns the time stamp and bracketed levels off): {@code [thread] LEVEL
 * logger - message}, so its own log lines keep their level in the host's log. Anything else a worker prints
 * there (the JVM's warnings, a handler's {@code printStackTrace}) is a warning, except the lines that continue
 * an error entry (its stack trace). Used by one pump thread per worker, which keeps the previous level.
 */
final class WorkerLogLevel {
    private static final Pattern LOG_LINE = Pattern.compile("^(?:\\[[^\\]]*\\] )?(TRACE|DEBUG|INFO|WARN|ERROR) ");
    /** A stack trace's lines after its first: indented frames, causes, suppressed exceptions, or "... n more". */
    private static final Pattern CONTINUATION = Pattern.compile("^(?:\\s|Caused by: |Suppressed: |\\.\\.\\.|[\\w$.]+"
            + "(?:Exception|Error|Throwable)\\b)");

    private WorkerLogLevel() {
    }

    /**
     * @param previous the level of the line before it from the same worker
     * @return the level to log {@code line} at
     */
    static Level of(String line, Level previous) {
        Matcher m = LOG_LINE.matcher(line);
        if (m.find()) {
            return Level.valueOf(m.group(1));
        }
        if (previous == Level.ERROR && CONTINUATION.matcher(line).find()) {
            return Level.ERROR;
        }
        return Level.WARN;
    }
}
