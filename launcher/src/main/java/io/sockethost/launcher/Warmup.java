package io.sockethost.launcher;

import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocket;
import org.pf4j.DefaultVersionManager;

import io.sockethost.core.config.HostSettings;
import io.sockethost.core.config.ServerDeclaration;
import io.sockethost.core.config.StrictJson;
import io.sockethost.core.plugin.PluginDescriptorDocument;

/**
 * Start-up: loads and initialises, on a second thread, what {@code run} needs next while the main thread is
 * still parsing the command line: Jackson's first mapper and its descriptor deserializers, the
 * semantic-version check of each plugin's {@code requires}, and junixsocket's native library and selector
 * provider. Each is a fixed cost of the main thread's start-up that depends on nothing the command line
 * says, so done here it is ready (or being finished) when the main thread gets to it; the start-up
 * profile behind the choice is in the benchmark notes. Nothing is read from the host's
 * folders, and the results are the same whichever thread gets there first: the JVM initialises each class
 * once, and Jackson's caches are thread-safe.
 *
 * <p>Nothing here may make an SLF4J logger: the logging configuration from {@code conf/} is applied only
 * after the command line is parsed (see {@link Logging}). So of PF4J, whose classes log, only the version
 * manager (which does not, nor does the java-semver library under it) is used.
 * Failures are ignored: the main thread meets the same problem where it needs the class and reports it
 * there (junixsocket records a missing native library rather than failing its class initialisation).
 */
final class Warmup {
    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread, which never delays the exit. */
    static void start() {
        Thread thread = new Thread(Warmup::run, "sockethost-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            // the descriptors' deserializers, built once and cached by the mapper for every later read
            StrictJson.MAPPER.readTree("{\"servers\": []}");
            StrictJson.MAPPER.readerFor(PluginDescriptorDocument.class);
            StrictJson.MAPPER.readerFor(ServerDeclaration.class);
            StrictJson.MAPPER.readerFor(HostSettings.Declaration.class);
        } catch (Exception | LinkageError e) {
            // see the class comment
        }
        try {
            // PluginCatalog checks every plugin's 'requires' with it; the first expression parsed is the slow one
            new DefaultVersionManager().checkVersionConstraint("1.0.0", ">=1.0.0 & <2.0.0");
        } catch (RuntimeException | LinkageError e) {
            // see the class comment
        }
        try {
            // the native library, and the provider every junixsocket channel comes from, as the first
            // unix-datagram server would; the provider only where the library loaded, so that a failure stays
            // the main thread's own
            if (AFUNIXSocket.isSupported()) {
                AFUNIXSelectorProvider.provider();
            }
        } catch (RuntimeException | LinkageError e) {
            // see the class comment
        }
    }
}
