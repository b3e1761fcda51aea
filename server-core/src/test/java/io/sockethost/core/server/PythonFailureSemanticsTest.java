package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.DatagramRequest;
import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;

/**
 * What a handler ported from Python sees when something fails: {@code handle_error} for every exception of
 * a request (a reset and a read timeout included), and a datagram reply sent by {@code finish} also after
 * {@code handle} threw. Real loopback and Unix sockets.
 */
@Timeout(30)
class PythonFailureSemanticsTest {
    @TempDir
    Path dir;

    /** The hook's calls, in order. */
    private final List<Throwable> handled = new CopyOnWriteArrayList<>();
    private final ServerHooks recording = new ServerHooks() {
        @Override
        public void handleError(ServerContext server, SocketAddress client, Throwable error) {
            handled.add(error);
        }
    };

    /** Writes "partial", then fails as the datagram says: "handle", "discard" (after discardReply) or "finish". */
    static final class HalfDone implements DatagramHandler {
        private String command;

        @Override
        public void handle(DatagramRequest request) throws Exception {
            command = StandardCharsets.UTF_8.decode(request.payload()).toString();
            request.output().write("partial".getBytes(StandardCharsets.UTF_8));
            if (command.equals("discard")) {
                request.discardReply();
            }
            if (!command.equals("finish")) {
                throw new IllegalStateException(command);
            }
        }

        @Override
        public void finish(DatagramRequest request) {
            if (command.equals("finish")) {
                throw new IllegalStateException("finish");
            }
        }
    }

    private void awaitHandled(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handled.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the hook runs on the server's thread just after the reply or the close
        }
        assertThat(handled).hasSize(count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threading"})
    void aUdpHandlerThatThrowsStillRepliesWithWhatItWroteAndTheErrorIsHandled(String mode) throws Exception {
        try (TestServers.Running s = TestServers.datagram(TestServers.config("{\"transport\": \"udp\", \"address\": "
                + "\"127.0.0.1:0\", \"concurrency\": {\"mode\": \"" + mode + "\"}}"), HalfDone::new, recording, DatagramServer.UDP);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5_000);
            assertThat(DatagramServerTest.roundTrip(client, s.server.boundAddress(), "handle")).isEqualTo("partial");
            awaitHandled(1);
            assertThat(handled.get(0)).hasMessage("handle");

            // discardReply() and a failing finish send nothing: the next reply is the next request's
            send(client, "discard", s.server.boundAddress());
            send(client, "finish", s.server.boundAddress());
            awaitHandled(3);
            assertThat(DatagramServerTest.roundTrip(client, s.server.boundAddress(), "handle")).isEqualTo("partial");
            awaitHandled(4);
            assertThat(handled).extracting(Throwable::getMessage)
                    .containsExactlyInAnyOrder("handle", "discard", "finish", "handle"); // threading: any order
        }
    }

    @Test
    void aUnixDatagramHandlerThatThrowsStillRepliesWithWhatItWrote() throws Exception {
        Path socketFile = dir.resolve("half.sock");
        try (TestServers.Running s = TestServers.datagram(TestServers.config("{\"transport\": \"unix-datagram\", \"address\": \""
                + socketFile + "\"}"), HalfDone::new, recording, DatagramServer.UNIX);
             AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(dir.resolve("client.sock")));
            client.socket().setSoTimeout(5_000);
            client.send(utf8("handle"), AFUNIXSocketAddress.of(socketFile));
            assertThat(receive(client)).isEqualTo("partial");
            awaitHandled(1);
            assertThat(handled.get(0)).hasMessage("handle");
        }
    }

    @Test
    void aReadTimeoutGoesToHandleError() throws Exception {
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\", \"readTimeout\": 0.2}"),
                () -> request -> request.input().read(), recording);
             Socket client = StreamServerTest.connect(s.inet())) {
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().read()).as("closed after the timeout").isEqualTo(-1);
            awaitHandled(1);
            assertThat(handled.get(0)).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aResetGoesToHandleErrorOnce() throws Exception {
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        try (TestServers.Running s = TestServers.stream(TestServers.config("{\"address\": \"127.0.0.1:0\"}"), () -> request -> {
            request.output().write("unsent".getBytes(StandardCharsets.UTF_8)); // still pending when the reset comes
            reading.countDown();
            request.input().readAllBytes();
        }, recording)) {
            Socket client = StreamServerTest.connect(s.inet());
            client.getInputStream().readNBytes(6); // the read flushed it
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            client.setSoLinger(true, 0); // close with RST
            client.close();
            awaitHandled(1);
            assertThat(handled.get(0)).isInstanceOf(IOException.class);
            assertThat(Disconnects.isClientDisconnect(handled.get(0))).isTrue();
        }
        assertThat(handled).as("the failing close of the reset connection is not the handler's").hasSize(1);
    }

    private static void send(DatagramSocket client, String text, SocketAddress server) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length, server));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String receive(AFUNIXDatagramChannel client) throws IOException {
        ByteBuffer reply = ByteBuffer.allocate(100);
        client.receive(reply);
        reply.flip();
        return StandardCharsets.UTF_8.decode(reply).toString();
    }
}
