package io.sockethost.launcher;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a {@code System.exit} that the launcher did not make (plugin code in a {@code threading} or
 * {@code sync} server): a shutdown hook logs an ERROR naming the exit status where the JVM tells it (Java
 * 21 and later log {@code Runtime.exit} to the platform logger {@code java.lang.Runtime}, which this class
 * listens to) and the stack of the thread that called it, then runs {@code onUnexpectedExit} (which closes
 * the servers at once so that their socket files go). The JVM then exits with the plugin's status.
 * Install once per process; thread-safe.
 */
final class ExitWatch {
    private static final Logger log = LoggerFactory.getLogger(ExitWatch.class);
    /** JUL keeps loggers weakly: this reference keeps the level and handler set below alive. */
    private static java.util.logging.Logger runtimeLogger;
    private static final AtomicReference<Throwable> reported = new AtomicReference<>();
    private static volatile boolean expected;

    private ExitWatch() {
    }

    /** Called by the launcher right before its own {@code System.exit}. */
    static void expectExit() {
        expected = true;
    }

    /**
     * @return the shutdown hook, for {@link #uninstall} once the host has stopped (so that a later
     *     {@code System.exit} of the launcher itself, or of a test running the command in process, is no alarm)
     */
    static synchronized Thread install(Runnable onUnexpectedExit) {
        if (runtimeLogger == null) {
            runtimeLogger = java.util.logging.Logger.getLogger("java.lang.Runtime");
            runtimeLogger.setLevel(Level.FINE);
            runtimeLogger.setUseParentHandlers(false);
            runtimeLogger.addHandler(new Handler() {
                @Override
                public void publish(LogRecord record) {
                    if (record.getThrown() != null) {
                        reported.compareAndSet(null, record.getThrown());
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
        }
        Thread hook = new Thread(() -> {
            if (!expected) {
                report();
                onUnexpectedExit.run();
            }
        }, "sockethost-exit-watch");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void uninstall(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs, and finds the host stopped
        }
    }

    /** @return {@code System.exit(STATUS)} where the JVM reported the status (Java 21+), else {@code System.exit} */
    private static String call(Throwable fromJvm) {
        return fromJvm == null || fromJvm.getMessage() == null ? "System.exit (this JVM does not report the status)"
                : fromJvm.getMessage().replace("Runtime.exit(", "System.exit(");
    }

    private static void report() {
        Throwable fromJvm = reported.get();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] stack = e.getValue();
            if (Arrays.stream(stack).anyMatch(f -> f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit"))) {
                Throwable where = new Throwable("System.exit called here");
                where.setStackTrace(stack);
                log.error("plugin code called {} on thread {}: the host ends; every server closes without waiting for "
                        + "requests (concurrency mode forking isolates such a plugin)", call(fromJvm), e.getKey().getName(),
                        where);
                return;
            }
        }
        if (fromJvm != null) {
            // the caller's thread was not among the platform threads (a virtual thread): the JVM's own report
            // of the call carries its stack
            log.error("plugin code called {}: the host ends; every server closes without waiting for requests "
                    + "(concurrency mode forking isolates such a plugin)", call(fromJvm), fromJvm);
        } else {
            log.warn("the JVM is shutting down without a stop request; closing every server without waiting for requests");
        }
    }
}
