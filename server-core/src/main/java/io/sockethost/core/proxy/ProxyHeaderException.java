package io.sockethost.core.proxy;

import java.io.IOException;

/**
 * A connection did not begin with a valid PROXY protocol header: a wrong signature, a malformed or overlong
 * header, or an end of input inside it. The message says what was wrong in words and numbers and never
 * repeats the client's bytes, so it is safe to log as it is.
 */
public final class ProxyHeaderException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProxyHeaderException(String message) {
        super(message);
    }
}
