package io.sockethost.bench.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plain Java, one pooled platform thread per connection with blocking streams: the model sockethost's
 * {@code threading} mode follows, without a host around it, so the difference between the two is what the
 * host costs. Usage: {@code ThreadPerConnectionEchoServer <port>}.
 *
 * <p>It holds the memory scenario's 10,000 idle connections (checked with a full run): the backlog of 128, as
 * every peer's, never fills there since connections are opened one at a time, each proven by an echo; the cached
 * pool starts a thread for every connection no idle thread takes, without bound; and a thread blocked in
 * {@code read} (no timeout is set) is busy, so the pool's 60-second keep-alive never retires it.
 */
public final class ThreadPerConnectionEchoServer {
    private ThreadPerConnectionEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        ExecutorService workers = Executors.newCachedThreadPool();
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 128, InetAddress.getByName("127.0.0.1"))) {
            while (true) {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                workers.execute(() -> echo(client));
            }
        }
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the client went away: nothing to report in a benchmark peer
        }
    }
}
