package io.sockethost.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One exchange with an echo server over each transport: send, then read what comes back. Every read has a
 * timeout but the Unix stream one, which the calling test's {@code @Timeout} bounds. Stateless.
 */
final class EchoClients {
    static final int TIMEOUT_MILLIS = 15_000;

    private EchoClients() {
    }

    /** Sends {@code text}, half-closes, and returns everything the server sent until it closed. */
    static String tcp(InetSocketAddress server, String text) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code text} and reads as many bytes back (fewer if the server closes first), then closes with
     * SO_LINGER 0 (a reset) instead of a FIN: the connection leaves no TIME_WAIT behind on either side, so
     * that a test making thousands of connections does not use up the ephemeral ports other tests bind.
     */
    static String tcpLeavingNoTimeWait(InetSocketAddress server, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(sent);
            return new String(socket.getInputStream().readNBytes(sent.length), StandardCharsets.UTF_8);
        }
    }

    static String udp(InetSocketAddress server, String text) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
            socket.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
        }
    }

    static String unixStream(Path socketFile, String text) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @param replyTo where the client binds, so that the server can answer */
    static String unixDatagram(Path socketFile, Path replyTo, String text) throws IOException {
        try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
            channel.bind(AFUNIXSocketAddress.of(replyTo));
            channel.socket().setSoTimeout(TIMEOUT_MILLIS);
            channel.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(socketFile));
            ByteBuffer reply = ByteBuffer.allocate(1024);
            channel.receive(reply);
            reply.flip();
            return StandardCharsets.UTF_8.decode(reply).toString();
        }
    }
}
