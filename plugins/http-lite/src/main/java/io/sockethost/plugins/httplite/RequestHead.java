package io.sockethost.plugins.httplite;

/**
 * A parsed, syntactically valid request head: what http-lite needs from it, nothing more.
 *
 * @param method the method token, case-sensitive as sent
 * @param target the request target as sent (visible ASCII only)
 * @param version the version to answer in
 * @param keepAlive whether the client lets the connection stay open after the response
 * @param contentLength the body length from {@code Content-Length}, or -1 if none was sent
 * @param chunked whether the body is in chunked transfer coding
 * @param expectContinue whether the client waits for {@code 100 Continue} before sending its body
 * @param conditions the conditional and range fields
 */
record RequestHead(
        String method,
        String target,
        HttpVersion version,
        boolean keepAlive,
        long contentLength,
        boolean chunked,
        boolean expectContinue,
        Conditions conditions) {

    /** @return whether a body follows the head */
    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /**
     * The fields that make a GET conditional or partial, each {@code null} when absent. A field sent more
     * than once where only one is allowed is kept as the empty string, which never parses, so it is ignored.
     */
    record Conditions(String ifModifiedSince, String ifNoneMatch, String range, String ifRange) {
        static final Conditions NONE = new Conditions(null, null, null, null);
    }
}
