package io.sockethost.operations;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The admin HTTP listener ({@code host.admin.address}): {@code GET /metrics} answers the Prometheus text
 * format, {@code GET /health} 200 or 503 with a JSON body ({@link Health}); anything else 404, other methods
 * 405. The JDK's {@code com.sun.net.httpserver} on one daemon thread of its own: scrapes are rare, and no HTTP
 * library comes in. Thread-safe; {@link #close()} stops it.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** What Prometheus expects for the text format, version 0.0.4. */
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;

    private AdminServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and starts answering.
     *
     * @param metrics renders the metrics, called per scrape
     * @param health reads the servers' state, called per request
     * @throws IOException if the address cannot be bound; the message names it
     */
    public static AdminServer start(InetSocketAddress address, Supplier<String> metrics, Supplier<Health> health)
            throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("admin listener: cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + " (host.admin.address): " + e.getMessage(), e);
        }
        http.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, metrics, health);
            } catch (IOException | RuntimeException e) {
                log.debug("admin listener: request from {} failed: {}", exchange.getRemoteAddress(), e.toString());
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sockethost-admin");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.start();
        return new AdminServer(http, executor);
    }

    private static void answer(HttpExchange exchange, Supplier<String> metrics, Supplier<Health> health) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/metrics") && !path.equals("/health")) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics or /health\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return;
        }
        if (path.equals("/metrics")) {
            send(exchange, 200, METRICS_TYPE, metrics.get());
        } else {
            Health h = health.get();
            send(exchange, h.up() ? 200 : 503, "application/json", h.toJson() + "\n");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** @return the bound address (the real port when port 0 was asked for) */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
