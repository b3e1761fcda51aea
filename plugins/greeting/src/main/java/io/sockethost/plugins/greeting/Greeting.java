package io.sockethost.plugins.greeting;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The tutorial's answer, {@code Hello, <message>!}, with the message's bytes as received (nothing decoded). */
final class Greeting {
    private static final byte[] HELLO = "Hello, ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BANG = "!".getBytes(StandardCharsets.US_ASCII);

    private Greeting() {
    }

    static void write(OutputStream out, byte[] message, int offset, int length) throws IOException {
        out.write(HELLO);
        out.write(message, offset, length);
        out.write(BANG);
    }
}
