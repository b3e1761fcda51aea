package io.sockethost.core.server;

import java.io.EOFException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

/** Tells an ordinary client disconnect (reset, broken pipe) from a real failure, so only the latter is an error. */
final class Disconnects {
    private Disconnects() {
    }

    static boolean isClientDisconnect(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException || t instanceof AsynchronousCloseException || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SocketException || t.getClass() == java.io.IOException.class) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("Connection reset") || message.contains("Broken pipe")
                        || message.contains("Socket closed") || message.contains("connection was aborted")) {
                    return true;
                }
            }
        }
        return false;
    }
}
