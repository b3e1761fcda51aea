package io.sockethost.core.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay between a client's TCP connection and a worker's Unix connection, with real sockets on both
 * sides: the test plays the client and the worker, the relay runs as the host would run it.
 */
@Timeout(30)
class RelayTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger clientDone = new AtomicInteger();
    private Path dir;
    /** The client's end, and the host's end of the same TCP connection. */
    private SocketChannel client;
    private SocketChannel hostSideOfClient;
    /** The worker's end, and the host's end of the same Unix connection. */
    private SocketChannel worker;
    private SocketChannel hostSideOfWorker;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel tcp = ServerSocketChannel.open()) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(tcp.getLocalAddress());
            hostSideOfClient = tcp.accept();
        }
        dir = Files.createTempDirectory("relay-test");
        try (ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            unix.bind(UnixDomainSocketAddress.of(dir.resolve("r.sock")));
            worker = SocketChannel.open(unix.getLocalAddress());
            hostSideOfWorker = unix.accept();
        }
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (SocketChannel c : new SocketChannel[] {client, hostSideOfClient, worker, hostSideOfWorker}) {
            c.close();
        }
        Files.deleteIfExists(dir.resolve("r.sock"));
        Files.deleteIfExists(dir);
    }

    private Future<Relay.Outcome> startRelay() {
        return threads.submit(() -> new Relay(hostSideOfClient, hostSideOfWorker, clientDone::incrementAndGet).run());
    }

    @Test
    void passesBytesBothWaysAndTheClientsEndOfInputToTheWorker() throws Exception {
        Future<Relay.Outcome> relay = startRelay();
        write(client, "request");
        client.shutdownOutput();
        assertThat(readAll(worker)).as("the worker reads the request, then the client's EOF").isEqualTo("request");
        assertThat(clientDone.get()).as("the pool heard that the request is winding down").isEqualTo(1);
        write(worker, "response");
        worker.close();
        assertThat(relay.get()).isEqualTo(Relay.Outcome.WORKER_DONE);
        assertThat(hostSideOfClient.isBlocking()).as("the client's channel is handed back blocking").isTrue();
        hostSideOfClient.close(); // the server's job once the relay is done
        assertThat(readAll(client)).isEqualTo("response");
    }

    @Test
    void whatADyingWorkerWroteStillReachesTheClient() throws Exception {
        Future<Relay.Outcome> relay = startRelay();
        write(client, "do not read this");
        write(worker, "last words");
        worker.close(); // with the client's bytes unread, as a process that dies mid-request
        assertThat(relay.get()).isEqualTo(Relay.Outcome.WORKER_DONE);
        hostSideOfClient.close();
        assertThat(readAll(client)).isEqualTo("last words");
    }

    @Test
    void carriesMoreThanItsBuffersHoldInBothDirectionsAtOnce() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(1).nextBytes(data);
        Future<Relay.Outcome> relay = startRelay();
        // The worker echoes; client and worker each write and read on separate threads.
        Future<?> echo = threads.submit(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (worker.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    worker.write(buffer);
                }
                buffer.clear();
            }
            worker.close();
            return null;
        });
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                ByteBuffer bytes = ByteBuffer.wrap(data);
                while (bytes.hasRemaining()) {
                    client.write(bytes);
                }
                client.shutdownOutput();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        Future<byte[]> received = threads.submit(() -> Channels.newInputStream(client).readAllBytes());
        sender.join();
        echo.get();
        assertThat(relay.get()).isEqualTo(Relay.Outcome.WORKER_DONE);
        hostSideOfClient.close();
        assertThat(received.get()).isEqualTo(data);
    }

    @Test
    void endsWhenTheClientIsGoneWhileTheWorkerStillWrites() throws Exception {
        Future<Relay.Outcome> relay = startRelay();
        client.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        client.close(); // a reset
        Future<?> chatter = threads.submit(() -> {
            ByteBuffer chunk = ByteBuffer.allocate(8192);
            while (!Thread.currentThread().isInterrupted()) {
                chunk.clear();
                worker.write(chunk);
            }
            return null;
        });
        assertThat(relay.get()).isEqualTo(Relay.Outcome.CLIENT_GONE);
        chatter.cancel(true);
    }

    @Test
    void anInterruptAbortsItAndLeavesTheClientsChannelToItsServer() throws Exception {
        AtomicReference<Relay.Outcome> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(new Relay(hostSideOfClient, hostSideOfWorker, () -> { }).run());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        thread.start();
        write(client, "x");
        assertThat(readExactly(worker, 1)).isEqualTo("x"); // the relay is running
        thread.interrupt(); // as a server closing with requests still running
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(outcome.get()).isEqualTo(Relay.Outcome.ABORTED);
        assertThat(hostSideOfClient.isOpen()).isTrue();
    }

    private static void write(SocketChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static String readAll(SocketChannel channel) throws IOException {
        return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String readExactly(SocketChannel channel, int n) throws IOException {
        return new String(Channels.newInputStream(channel).readNBytes(n), StandardCharsets.UTF_8);
    }
}
