package io.sockethost.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

/** In-process TCP servers on an ephemeral loopback port, for the load client's tests. */
final class TestServers {
    private TestServers() {
    }

    /** A thread-per-connection server that sends back every byte transformed by {@code reply}, or nothing if null. */
    static final class Stream implements AutoCloseable {
        private final ServerSocket server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

        Stream(IntUnaryOperator reply) throws IOException {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            threads.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        clients.add(client);
                        threads.execute(() -> serve(client, reply));
                    } catch (IOException | RejectedExecutionException e) {
                        return; // closed
                    }
                }
            });
        }

        private static void serve(Socket client, IntUnaryOperator reply) {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (reply == null) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        buffer[i] = (byte) reply.applyAsInt(buffer[i]);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the client left
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket client : clients) {
                client.close();
            }
            threads.shutdown();
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test server threads did not stop");
            }
        }
    }
}
