package io.sockethost.plugins.httplite;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.pf4j.Extension;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.SettingsProblems;

/**
 * An http-lite server's life: its settings are checked with the configuration (the document root must be
 * an existing folder), and its {@link HttpLiteSite} (file cache, access log writer) is made before it
 * accepts and released after it drained, when the access log's last lines are written. One instance per
 * server; see {@link ServerLifecycle} for the order of calls.
 */
@Extension
public final class HttpLiteLifecycle implements ServerLifecycle<HttpLiteSite> {
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 20\r\nRetry-After: 1\r\nConnection: close\r\n\r\nService Unavailable\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public Class<?> settingsType() {
        return HttpLiteSettings.class;
    }

    @Override
    public void validate(ServerContext server, SettingsProblems problems) {
        String configured = server.settings(HttpLiteSettings.class).root();
        Path root;
        try {
            root = server.home().resolve(configured).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.error("root", "\"" + configured + "\" is not a path: " + e.getReason());
            return;
        }
        if (!Files.exists(root)) {
            problems.error("root", "folder " + root + " does not exist");
        } else if (!Files.isDirectory(root)) {
            problems.error("root", root + " is not a folder");
        }
    }

    @Override
    public HttpLiteSite start(ServerContext server) {
        HttpLiteSettings settings = server.settings(HttpLiteSettings.class);
        FileCache cache = settings.cacheFiles() ? new FileCache(FileCache.MAX_FILE_BYTES, FileCache.MAX_TOTAL_BYTES) : null;
        return new HttpLiteSite(settings, cache, settings.accessLog() ? AccessLog.writer(server.name()) : null);
    }

    /** A client turned away by a full server learns it, and when to come back, in HTTP's own terms. */
    @Override
    public byte[] busyReply(ServerContext server) {
        return BUSY.clone();
    }

    /** Writes the access log's last lines; the server has drained, so no request adds more. */
    @Override
    public void stop(ServerContext server, HttpLiteSite site) {
        if (site.accessLog() != null) {
            site.accessLog().close();
        }
    }
}
