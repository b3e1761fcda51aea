package io.sockethost.plugins.loginauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A client of the login protocol on a real socket, in the example client's style or in lines. */
final class LoginClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    LoginClient(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** As the example's client does: the message without terminator, then one read of up to 1024 bytes. */
    String exchange(String message) throws IOException {
        send(message);
        return readOnce();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** @return what one read of up to 1024 bytes gives, or {@code null} at end of stream */
    String readOnce() throws IOException {
        byte[] buffer = new byte[1024];
        int n = in.read(buffer);
        return n < 0 ? null : new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    /** @return the bytes up to and including the next {@code \n}, or what came before the end of stream */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * As {@link #exchange}, for a server that may have closed the connection before it read anything.
     *
     * @return the reply, or {@code null} if the connection was closed or reset instead
     */
    String exchangeUnlessClosed(String message) throws IOException {
        try {
            return exchange(message);
        } catch (SocketException e) {
            if (isReset(e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * @return true if the server closed the connection: end of stream with nothing more to read, or a reset
     *     (a server that closes with unread input resets the connection)
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            if (isReset(e)) {
                return true;
            }
            throw e;
        }
    }

    /** A write to a connection the server had closed fails with a broken pipe, a read with a reset. */
    private static boolean isReset(SocketException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Connection reset") || message.contains("Broken pipe");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
