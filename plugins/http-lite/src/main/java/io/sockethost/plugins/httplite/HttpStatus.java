package io.sockethost.plugins.httplite;

import java.nio.charset.StandardCharsets;

/** The statuses http-lite sends, each with its status line ready to write. */
enum HttpStatus {
    OK(200, "OK"),
    NO_CONTENT(204, "No Content"),
    PARTIAL_CONTENT(206, "Partial Content"),
    MOVED_PERMANENTLY(301, "Moved Permanently"),
    NOT_MODIFIED(304, "Not Modified"),
    BAD_REQUEST(400, "Bad Request"),
    NOT_FOUND(404, "Not Found"),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed"),
    REQUEST_TIMEOUT(408, "Request Timeout"),
    CONTENT_TOO_LARGE(413, "Content Too Large"),
    URI_TOO_LONG(414, "URI Too Long"),
    RANGE_NOT_SATISFIABLE(416, "Range Not Satisfiable"),
    HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large"),
    INTERNAL_SERVER_ERROR(500, "Internal Server Error"),
    NOT_IMPLEMENTED(501, "Not Implemented"),
    VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported");

    private final int code;
    private final String reason;
    private final byte[] statusLine;
    private final byte[] text;

    HttpStatus(int code, String reason) {
        this.code = code;
        this.reason = reason;
        this.statusLine = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.text = (code + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }

    /** @return {@code HTTP/1.1 <code> <reason>\r\n}; callers must not modify the array */
    byte[] statusLine() {
        return statusLine;
    }

    /** @return the plain-text body of an error response, {@code <code> <reason>\n}; callers must not modify it */
    byte[] text() {
        return text;
    }

    /** @return whether a response with this status never has a body (RFC 9110 6.4.1) */
    boolean bodiless() {
        return this == NO_CONTENT || this == NOT_MODIFIED;
    }
}
