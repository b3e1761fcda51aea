package io.sockethost.testplugins.misbehaving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Path;

import org.pf4j.Extension;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;

/**
 * CPython's {@code BaseErrorTestServer.handle_error}: appends {@code Error handled} to the file named by a
 * failure of the {@code raise} command, so that a test can tell whether the hook ran (in a worker process).
 * Other failures are left alone. Stateless.
 */
@Extension
public final class MisbehavingHooks implements ServerHooks {

    @Override
    public void handleError(ServerContext server, SocketAddress client, Throwable error) {
        String message = error.getMessage();
        if (message != null && message.startsWith(Misbehaviour.LOG_PREFIX)) {
            try {
                Misbehaviour.append(Path.of(message.substring(Misbehaviour.LOG_PREFIX.length())), "Error handled\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
