package io.sockethost.plugins.greeting;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.pf4j.Extension;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * The tutorial's TCP server: sends {@code Welcome!}, then answers each message with
 * {@code Hello, <message>!} (no newline added), until the client sends {@code exit} or closes. A message is
 * what one read returns, at most {@value #RECV_SIZE} bytes, as the Python server's {@code recv(1024)}.
 *
 * <p>Written as the Python handler is, without {@code flush()}: each read flushes what waits in the output
 * before it blocks (see {@link StreamRequest}), so the greeting and every answer leave as Python's
 * {@code send} would send them. A new instance per connection.
 */
@Extension
public final class GreetingStreamHandler implements StreamHandler {
    private static final int RECV_SIZE = 1024;
    private static final byte[] WELCOME = "Welcome!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXIT = "exit".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void handle(StreamRequest request) throws Exception {
        InputStream in = request.input();
        OutputStream out = request.output();
        out.write(WELCOME);
        byte[] message = new byte[RECV_SIZE];
        int n;
        // exactly "exit", as the tutorial compares the decoded message: "exit\n" is greeted like any other
        while ((n = in.read(message)) > 0 && !Arrays.equals(message, 0, n, EXIT, 0, EXIT.length)) {
            Greeting.write(out, message, 0, n);
        }
    }
}
