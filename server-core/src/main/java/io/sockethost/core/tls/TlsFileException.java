package io.sockethost.core.tls;

/**
 * A key, certificate or password file that cannot be used; the message names the file and says what to do.
 * The caller knows which field of the {@code tls} block named the file.
 */
final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsFileException(String message) {
        super(message, null, false, false);
    }
}
