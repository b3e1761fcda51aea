package io.sockethost.core.forking;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The few bytes host and worker exchange on a relay connection before the client's bytes flow: the worker
 * opens the connection with a hello (its id, and whether it is ready for a request or retiring), the host
 * answers with the client's address when it hands the worker a request. On a stream server everything after
 * that header is the client's connection, byte for byte; each end closing its side ends the request. On a
 * datagram server the header is followed by the datagram ({@link #writeDatagram}), and the worker answers with
 * the handler's reply, or with none ({@link #writeReply}). Stateless.
 */
public final class RelayProtocol {
    /** The worker waits for a request on this connection; a previous request, if any, completed. */
    public static final byte READY = 'R';
    /** The worker completed its previous request and exits, having served {@code requestsPerChild}. */
    public static final byte RETIRING = 'X';

    private static final byte INET = 'I';
    private static final byte UNIX = 'U';
    private static final int HELLO_BYTES = 9;
    private static final int MAX_HEADER = 4096;
    /** The length a worker sends for "no reply": the handler discarded it, or its request failed. */
    private static final int NO_REPLY = -1;
    /** Above any datagram's size (65,507 bytes for UDP over IPv4; Unix datagrams are bounded by maxPacketSize). */
    private static final int MAX_DATAGRAM = 1 << 20;

    /** What a worker says when it connects. */
    record Hello(byte kind, long workerId) {
    }

    private RelayProtocol() {
    }

    public static void writeHello(SocketChannel channel, byte kind, long workerId) throws IOException {
        writeFully(channel, ByteBuffer.allocate(HELLO_BYTES).put(kind).putLong(workerId).flip());
    }

    static Hello readHello(SocketChannel channel) throws IOException {
        ByteBuffer hello = readFully(channel, HELLO_BYTES);
        byte kind = hello.get();
        if (kind != READY && kind != RETIRING) {
            throw new IOException("not a sockethost worker hello (first byte " + kind + ")");
        }
        return new Hello(kind, hello.getLong());
    }

    /** Hands a request to a worker: the client's address, which the handler sees as {@code clientAddress()}. */
    static void writeClient(SocketChannel channel, SocketAddress client) throws IOException {
        byte[] body = encode(client);
        writeFully(channel, ByteBuffer.allocate(2 + body.length).putShort((short) body.length).put(body).flip());
    }

    /** @throws EOFException if the host closed the connection instead of handing over a request */
    public static SocketAddress readClient(SocketChannel channel) throws IOException {
        int length = Short.toUnsignedInt(readFully(channel, 2).getShort());
        if (length > MAX_HEADER) {
            throw new IOException("relay header of " + length + " bytes is too long");
        }
        return decode(readFully(channel, length));
    }

    /** Hands a datagram to a worker: the sender's address, then the datagram's length and bytes. */
    static void writeDatagram(SocketChannel channel, SocketAddress client, ByteBuffer payload) throws IOException {
        byte[] address = encode(client);
        writeFully(channel, ByteBuffer.allocate(2 + address.length + 4 + payload.remaining())
                .putShort((short) address.length).put(address).putInt(payload.remaining()).put(payload.duplicate()).flip());
    }

    /** Reads the datagram that follows {@link #readClient} on a datagram server's relay connection. */
    public static ByteBuffer readDatagram(SocketChannel channel) throws IOException {
        int length = readFully(channel, 4).getInt();
        if (length < 0 || length > MAX_DATAGRAM) {
            throw new IOException("relayed datagram of " + length + " bytes is out of range");
        }
        return readFully(channel, length);
    }

    /** The worker's answer to a datagram: the reply to send, or {@code null} for none. */
    public static void writeReply(SocketChannel channel, ByteBuffer reply) throws IOException {
        if (reply == null) {
            writeFully(channel, ByteBuffer.allocate(4).putInt(NO_REPLY).flip());
            return;
        }
        writeFully(channel, ByteBuffer.allocate(4 + reply.remaining()).putInt(reply.remaining()).put(reply.duplicate()).flip());
    }

    /**
     * @return the reply the worker sent, or {@code null} if the handler sent none
     * @throws EOFException if the worker closed the connection (it died) before it answered
     */
    static ByteBuffer readReply(SocketChannel channel) throws IOException {
        int length = readFully(channel, 4).getInt();
        if (length == NO_REPLY) {
            return null;
        }
        if (length < 0 || length > MAX_DATAGRAM) {
            throw new IOException("worker reply of " + length + " bytes is out of range");
        }
        return readFully(channel, length);
    }

    private static byte[] encode(SocketAddress client) {
        if (client instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] ip = inet.getAddress().getAddress();
            return ByteBuffer.allocate(1 + 1 + ip.length + 2).put(INET).put((byte) ip.length).put(ip)
                    .putShort((short) inet.getPort()).array();
        }
        String path = client instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : "";
        byte[] text = path.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + text.length).put(UNIX).put(text).array();
    }

    private static SocketAddress decode(ByteBuffer body) throws IOException {
        byte kind = body.get();
        if (kind == INET) {
            byte[] ip = new byte[body.get()];
            body.get(ip);
            return new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(body.getShort()));
        }
        if (kind == UNIX) {
            byte[] text = new byte[body.remaining()];
            body.get(text);
            return UnixDomainSocketAddress.of(new String(text, StandardCharsets.UTF_8));
        }
        throw new IOException("unknown client address kind " + kind + " in relay header");
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static ByteBuffer readFully(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("relay connection closed after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.flip();
    }
}
