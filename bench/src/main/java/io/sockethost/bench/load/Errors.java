package io.sockethost.bench.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketException;

/** Short, stable names for what went wrong, so that errors can be counted by kind. */
final class Errors {
    private Errors() {
    }

    static String kind(String step, IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof ConnectException || message.contains("refused")) {
            return step + ": connection refused";
        }
        if (e instanceof PortUnreachableException) {
            return step + ": port unreachable";
        }
        if (message.contains("reset")) {
            return step + ": connection reset";
        }
        if (message.contains("Broken pipe")) {
            return step + ": broken pipe";
        }
        if (message.contains("Cannot assign requested address")) {
            return step + ": no local port left";
        }
        if (e instanceof SocketException && !message.isEmpty()) {
            return step + ": " + message;
        }
        return step + ": " + e.getClass().getSimpleName() + (message.isEmpty() ? "" : " " + message);
    }
}
