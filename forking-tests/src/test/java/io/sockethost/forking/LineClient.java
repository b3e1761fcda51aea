package io.sockethost.forking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A client of the misbehaving handler's line protocol, over TCP or a Unix socket. Blocking; reads are
 * interruptible, so a test's JUnit timeout ends a read that waits for too long.
 */
final class LineClient implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;

    private LineClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
    }

    static LineClient connect(SocketAddress server) throws IOException {
        SocketChannel channel = server instanceof UnixDomainSocketAddress
                ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(server);
        return new LineClient(channel);
    }

    /** Sends one command and returns the handler's one-line answer ({@code null} if the connection ended). */
    String ask(String command) throws IOException {
        send(command);
        return readLine();
    }

    void send(String command) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** @return the next line, or {@code null} once the server has closed the connection */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    long pid() throws IOException {
        return Long.parseLong(ask("pid"));
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
