package io.sockethost.plugins.httplite;

/** The protocol versions http-lite speaks; a request in 1.2 to 1.9 is served as 1.1 (RFC 9110 2.5). */
enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
