package io.sockethost.plugins.httplite;

/**
 * What the connections of one http-lite server share, made by {@link HttpLiteLifecycle} before the server
 * accepts and released after it drained. Immutable; its parts are thread-safe.
 *
 * @param settings the server's settings, checked when the configuration was
 * @param cache small files kept in memory for this server, or {@code null} when {@code cacheFiles} is off
 * @param accessLog the server's access log writer, or {@code null} when {@code accessLog} is off
 */
record HttpLiteSite(HttpLiteSettings settings, FileCache cache, AsyncLogWriter<AccessLog.Entry> accessLog) {
}
