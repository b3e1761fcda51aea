package io.sockethost.bench.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's {@code com.sun.net.httpserver.HttpServer} serving static files from a folder, read on each
 * request as a static file server does. Run it with {@code -Dsun.net.httpserver.nodelay=true}: without
 * TCP_NODELAY its two writes per response meet delayed ACKs and every response waits about 40 ms.
 * Usage: {@code JdkHttpFileServer <port> <root>}.
 */
public final class JdkHttpFileServer {
    private JdkHttpFileServer() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 128);
        server.createContext("/", exchange -> serve(exchange, root));
        server.start();
    }

    private static void serve(HttpExchange exchange, Path root) throws IOException {
        try (exchange) {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
