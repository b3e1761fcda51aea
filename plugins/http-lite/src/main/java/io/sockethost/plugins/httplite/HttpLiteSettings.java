package io.sockethost.plugins.httplite;

import java.util.Map;

/**
 * The http-lite server's {@code settings}, bound by the host from the descriptor and the operator's
 * overrides. Every field is optional: a missing one takes the default named here. Immutable.
 *
 * @param root the document root; a relative path resolves against the host's installation folder
 *     (default {@code www})
 * @param indexFile the file served for a directory URL ending in {@code /} (default {@code index.html})
 * @param listDirectories list a directory that has no index file (default {@code false}: 404)
 * @param accessLog log one line per request on the logger {@code io.sockethost.plugins.httplite.access}
 *     at INFO (default {@code true})
 * @param headerTimeout seconds from the first byte of a request until its header section is complete;
 *     past it the answer is 408 and the connection closes. Also the idle limit before the first request and
 *     for each read of a request body (default 10)
 * @param keepAliveTimeout seconds an idle connection waits for its next request before it is closed
 *     silently; 0 turns keep-alive off (default 5)
 * @param maxRequestLine longest request line in bytes, past it 414 (default 8192)
 * @param maxHeaderBytes largest header section in bytes, past it 431 (default 32768)
 * @param maxHeaders most header fields, past it 431 (default 100)
 * @param maxBodySize largest request body read past (and discarded) to keep the connection in sync; past
 *     it 413 and the connection closes (default 1 MiB)
 * @param contentTypes extra or replacing content types by file extension, case-insensitive, e.g.
 *     {@code {"md": "text/markdown; charset=utf-8"}}
 * @param cacheFiles keep files up to 64 KiB in memory (16 MiB in all) between requests, each checked against
 *     the file's size, modification time and file key on every request (default {@code true})
 */
public record HttpLiteSettings(
        String root,
        String indexFile,
        Boolean listDirectories,
        Boolean accessLog,
        Double headerTimeout,
        Double keepAliveTimeout,
        Integer maxRequestLine,
        Integer maxHeaderBytes,
        Integer maxHeaders,
        Long maxBodySize,
        Map<String, String> contentTypes,
        Boolean cacheFiles) {

    public HttpLiteSettings {
        root = root == null ? "www" : root;
        indexFile = indexFile == null ? "index.html" : indexFile;
        listDirectories = listDirectories != null && listDirectories;
        accessLog = accessLog == null || accessLog;
        headerTimeout = headerTimeout == null ? 10.0 : headerTimeout;
        keepAliveTimeout = keepAliveTimeout == null ? 5.0 : keepAliveTimeout;
        maxRequestLine = maxRequestLine == null ? 8192 : maxRequestLine;
        maxHeaderBytes = maxHeaderBytes == null ? 32768 : maxHeaderBytes;
        maxHeaders = maxHeaders == null ? 100 : maxHeaders;
        maxBodySize = maxBodySize == null ? 1L << 20 : maxBodySize;
        contentTypes = contentTypes == null ? Map.of() : ContentTypes.normalise(contentTypes);
        cacheFiles = cacheFiles == null || cacheFiles;
        if (root.isBlank()) {
            throw new IllegalArgumentException("root: must name a folder");
        }
        if (indexFile.isEmpty() || indexFile.contains("/") || indexFile.contains("\\") || indexFile.startsWith(".")) {
            throw new IllegalArgumentException("indexFile: must be a plain file name such as index.html, got \""
                    + indexFile + "\"");
        }
        requireRange("headerTimeout", headerTimeout, 0.001, 86_400);
        requireRange("keepAliveTimeout", keepAliveTimeout, 0, 86_400);
        requireRange("maxRequestLine", maxRequestLine, 64, 1 << 20);
        requireRange("maxHeaderBytes", maxHeaderBytes, 64, 1 << 22);
        requireRange("maxHeaders", maxHeaders, 1, 10_000);
        requireRange("maxBodySize", maxBodySize, 0, Long.MAX_VALUE);
    }

    private static void requireRange(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + ": " + value + " is out of range; allowed: " + min + " to " + max);
        }
    }

    /** @return {@link #headerTimeout} in milliseconds, at least 1 */
    long headerTimeoutMillis() {
        return Math.max(1, Math.round(headerTimeout * 1000));
    }

    /** @return {@link #keepAliveTimeout} in milliseconds; 0 when keep-alive is off */
    long keepAliveTimeoutMillis() {
        return keepAliveTimeout == 0 ? 0 : Math.max(1, Math.round(keepAliveTimeout * 1000));
    }
}
