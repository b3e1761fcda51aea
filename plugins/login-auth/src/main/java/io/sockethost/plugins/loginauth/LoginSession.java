package io.sockethost.plugins.loginauth;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The login protocol of one connection, message by message, as the example server speaks it:
 * <pre>
 * Now client connect to Server   -&gt; OK,I am ready
 * username:&lt;name&gt;                -&gt; valid | invalid
 * userpasswd:&lt;password&gt;          -&gt; valid (then the goodbye line, then close) | invalid
 * </pre>
 * Where the example misbehaves this answers {@code invalid}: a password before any user name, an unknown
 * message. A password is checked for the last name given, known or not, so that an unknown name costs as
 * much as a known one. After {@code maxFailures} wrong passwords, or during a lockout, the answer is
 * {@code invalid} and the connection closes.
 *
 * <p>Not thread-safe: one per connection.
 */
final class LoginSession {
    static final String READY = "OK,I am ready";
    static final String VALID = "valid";
    static final String INVALID = "invalid";
    private static final byte[] HELLO = "Now client connect to Server".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USERNAME = "username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "userpasswd:".getBytes(StandardCharsets.US_ASCII);

    /** What the connection does after the reply is sent. */
    enum After {
        /** Wait for the next message. */
        CONTINUE,
        /** Pause, send the goodbye line, close. */
        GOODBYE,
        /** Close now. */
        CLOSE
    }

    /** The reply to one message, sent with the message's own terminator, and what follows it. */
    record Response(String reply, After after) {
    }

    private final LoginService service;
    private final SocketAddress client;
    private String user;

    LoginSession(LoginService service, SocketAddress client) {
        this.service = service;
        this.client = client;
    }

    /** @param message one message without terminator; not kept, not cleared */
    Response onMessage(byte[] message) {
        if (Arrays.equals(message, HELLO)) {
            return new Response(READY, After.CONTINUE);
        }
        if (startsWith(message, USERNAME)) {
            user = new String(message, USERNAME.length, message.length - USERNAME.length, StandardCharsets.UTF_8);
            boolean answerValid = service.settings().hideUnknownUsers() || service.knows(user);
            return new Response(answerValid ? VALID : INVALID, After.CONTINUE);
        }
        if (startsWith(message, PASSWORD)) {
            return user == null ? new Response(INVALID, After.CONTINUE) : password(message);
        }
        return new Response(INVALID, After.CONTINUE);
    }

    private Response password(byte[] message) {
        CharBuffer decoded = StandardCharsets.UTF_8.decode(
                ByteBuffer.wrap(message, PASSWORD.length, message.length - PASSWORD.length));
        char[] password = Arrays.copyOfRange(decoded.array(), decoded.position(), decoded.limit());
        Arrays.fill(decoded.array(), '\0');
        try {
            return switch (service.attempt(user, client, password)) {
                case ACCEPTED -> new Response(VALID, After.GOODBYE);
                case REJECTED -> new Response(INVALID, After.CONTINUE);
                case LOCKED_OUT, REFUSED -> new Response(INVALID, After.CLOSE);
            };
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static boolean startsWith(byte[] message, byte[] prefix) {
        return message.length >= prefix.length && Arrays.equals(message, 0, prefix.length, prefix, 0, prefix.length);
    }
}
