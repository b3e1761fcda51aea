package io.sockethost.core.forking;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix socket a forking server's workers connect to, one connection per request they are ready for,
 * in a new folder under {@code java.io.tmpdir} that only the host's user can enter (so no other user can
 * pose as a worker). A thread of its own accepts the connections and reads each worker's hello.
 * {@link #close} stops accepting and removes the socket and its folder. When the host hands connections
 * over, the socket is junixsocket's, whose connections can carry descriptors; when it relays them, the
 * JDK's, whose connections share a selector with the clients' in {@link Relay}.
 */
final class RelaySocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelaySocket.class);
    /** sun_path holds 108 bytes including the terminating NUL on Linux. */
    private static final int MAX_PATH_BYTES = 107;

    /** Receives each worker connection with the hello it opened with. */
    @FunctionalInterface
    interface Arrivals {
        void arrived(RelayProtocol.Hello hello, SocketChannel channel);
    }

    private final String serverName;
    private final Path dir;
    private final Path path;
    private final ServerSocketChannel listener;
    private final Thread acceptor;

    private RelaySocket(String serverName, Path dir, Path path, ServerSocketChannel listener, Arrivals arrivals) {
        this.serverName = serverName;
        this.dir = dir;
        this.path = path;
        this.listener = listener;
        this.acceptor = new Thread(() -> accept(arrivals), serverName + "-worker-relay");
        acceptor.setDaemon(true);
    }

    /** @param handOff whether the connections to workers will carry the clients' descriptors */
    static RelaySocket open(String serverName, int backlog, boolean handOff, Arrivals arrivals) throws IOException {
        Path dir = Files.createTempDirectory("sockethost-"); // POSIX: owner-only permissions
        Path path = dir.resolve("relay.sock");
        ServerSocketChannel listener = null;
        try {
            if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                throw new IOException("relay socket path " + path + " is too long for a Unix socket; set java.io.tmpdir "
                        + "to a shorter folder");
            }
            if (handOff) {
                listener = AFUNIXServerSocketChannel.open();
                listener.bind(AFUNIXSocketAddress.of(path), backlog);
            } else {
                listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                listener.bind(UnixDomainSocketAddress.of(path), backlog);
            }
        } catch (IOException e) {
            WorkerPool.closeQuietly(listener);
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
            throw new IOException("server " + serverName + ": " + e.getMessage(), e);
        }
        RelaySocket socket = new RelaySocket(serverName, dir, path, listener, arrivals);
        socket.acceptor.start();
        return socket;
    }

    Path path() {
        return path;
    }

    private void accept(Arrivals arrivals) {
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (listener.isOpen()) {
                    log.error("server {}: accepting worker connections failed; no worker can get requests now",
                            serverName, e);
                }
                return;
            }
            // Blocking: a worker writes its hello right after connecting (and only the host's user can connect).
            try {
                arrivals.arrived(RelayProtocol.readHello(channel), channel);
            } catch (IOException e) {
                log.debug("server {}: dropped a relay connection: {}", serverName, e.toString());
                WorkerPool.closeQuietly(channel);
            }
        }
    }

    @Override
    public void close() {
        WorkerPool.closeQuietly(listener);
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            log.warn("server {}: cannot remove the relay socket {}: {}", serverName, path, e.toString());
        }
    }
}
