package io.sockethost.plugins.httplite;

/**
 * A request http-lite refuses, with the status to answer and a reason for the log. Thrown by the parsers;
 * the connection answers it. Has no stack trace: it is an expected outcome of bad input, not a bug.
 */
final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;

    HttpException(HttpStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
