package io.sockethost.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The thread-pool model of a threading UDP server at its barest: one thread receives on a blocking
 * {@link DatagramChannel} and hands each datagram to a cached pool thread, which sends it back. It does
 * nothing a {@code threading} server could do less of while still running each request on a thread of its
 * own, so its row shows what that hand-off costs beside the single-threaded loop. Usage:
 * {@code DatagramPoolServer <port>}.
 */
public final class DatagramPoolServer {
    private DatagramPoolServer() {
    }

    public static void main(String[] args) throws IOException {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            while (true) {
                buffer.clear();
                SocketAddress sender = channel.receive(buffer);
                buffer.flip();
                ByteBuffer reply = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
                pool.execute(() -> {
                    try {
                        channel.send(reply, sender);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
