package io.sockethost.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The trivial TCP echo server the load client is checked against: one selector loop per core, non-blocking
 * sockets, one buffer per loop, connections dealt round-robin to the loops; what a C programmer writes with
 * epoll. It does nothing a server could do less of, so what it reaches is what the client (sharing the
 * machine) can drive. Usage: {@code NioEchoServer <port>}.
 */
public final class NioEchoServer {
    private NioEchoServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int loops = Runtime.getRuntime().availableProcessors();
        List<Loop> workers = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Loop loop = new Loop(Selector.open());
            workers.add(loop);
            Thread thread = new Thread(loop, "echo-loop-" + i);
            thread.start();
        }
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 128);
            for (int next = 0; ; next = (next + 1) % loops) {
                SocketChannel client = server.accept();
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                workers.get(next).add(client);
            }
        }
    }

    /** One selector thread: echoes what is readable on its connections. */
    private static final class Loop implements Runnable {
        private final Selector selector;
        private final Queue<SocketChannel> added = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

        Loop(Selector selector) {
            this.selector = selector;
        }

        void add(SocketChannel client) {
            added.add(client);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    selector.select(this::echo);
                    for (SocketChannel client; (client = added.poll()) != null; ) {
                        client.register(selector, SelectionKey.OP_READ);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A reply the socket cannot take at once is finished by spinning (64-byte replies never need it). */
        private void echo(SelectionKey key) {
            SocketChannel client = (SocketChannel) key.channel();
            try {
                buffer.clear();
                if (client.read(buffer) < 0) {
                    client.close();
                    return;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    client.write(buffer);
                }
            } catch (IOException e) {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }
}
