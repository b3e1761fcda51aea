package io.sockethost.bench.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The UDP ceiling: one thread, a blocking {@link DatagramChannel}, receive and send back, nothing else.
 * Usage: {@code DatagramLoopServer <port>}.
 */
public final class DatagramLoopServer {
    private DatagramLoopServer() {
    }

    public static void main(String[] args) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (true) {
                buffer.clear();
                SocketAddress sender = channel.receive(buffer);
                buffer.flip();
                channel.send(buffer, sender);
            }
        }
    }
}
