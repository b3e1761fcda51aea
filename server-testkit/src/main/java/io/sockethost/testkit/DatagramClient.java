package io.sockethost.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A test client for datagram servers (udp or unix-datagram). A Unix client binds a socket file of its own
 * in a temporary folder, since a server can only reply to a bound sender. Every receive has a deadline.
 */
public final class DatagramClient implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final SocketAddress server;
    private final Path folder;
    private Duration timeout = StreamClient.DEFAULT_TIMEOUT;
    private SocketAddress lastSender;

    private DatagramClient(DatagramChannel channel, SocketAddress server, Path folder) throws IOException {
        this.channel = channel;
        this.server = server;
        this.folder = folder;
        channel.configureBlocking(false);
        this.selector = channel.provider().openSelector();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** A client of a udp ({@code InetSocketAddress}) or unix-datagram ({@code UnixDomainSocketAddress}) server. */
    public static DatagramClient to(SocketAddress server) throws IOException {
        if (server instanceof UnixDomainSocketAddress unix) {
            Path folder = Files.createTempDirectory("sockethost-client");
            AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
            channel.bind(AFUNIXSocketAddress.of(folder.resolve("client.sock")));
            return new DatagramClient(channel, AFUNIXSocketAddress.of(unix.getPath()), folder);
        }
        InetSocketAddress inet = (InetSocketAddress) server;
        DatagramChannel channel = DatagramChannel.open(inet.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        return new DatagramClient(channel, inet, null);
    }

    public DatagramClient timeout(Duration receiveTimeout) {
        this.timeout = receiveTimeout;
        return this;
    }

    public DatagramClient send(byte[] payload) throws IOException {
        channel.send(ByteBuffer.wrap(payload), server);
        return this;
    }

    public DatagramClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the next datagram's bytes; throws {@link SocketTimeoutException} if none arrives in time */
    public byte[] receive() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketAddress sender;
        while ((sender = channel.receive(buffer)) == null) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no datagram within " + timeout);
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
        lastSender = sender;
        byte[] bytes = new byte[buffer.flip().remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** @return who sent the datagram last received (a server replies from its own address), or null before one */
    public SocketAddress lastSender() {
        return lastSender;
    }

    /**
     * @return this client's address as the server's handlers see it: an {@code InetSocketAddress}, or a
     *     {@code UnixDomainSocketAddress} for a Unix client (null for a UDP client before its first send)
     */
    public SocketAddress localAddress() throws IOException {
        return folder != null ? UnixDomainSocketAddress.of(folder.resolve("client.sock")) : channel.getLocalAddress();
    }

    public String receiveText() throws IOException {
        return new String(receive(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
            selector.close();
        } finally {
            if (folder != null) {
                PluginHost.deleteTree(folder);
            }
        }
    }
}
