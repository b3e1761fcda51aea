package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection's streams over real loopback TCP and Unix sockets: blocking reads while there is no timeout,
 * one switch to non-blocking mode for timed reads, a connection still usable after a timeout, a true
 * {@code available()} for handlers, closing a stream closing the connection, and pending output flushed
 * before a read waits (and only then).
 */
@Timeout(30)
class ChannelStreamsTest {
    /** Output with nothing in it: the reads under test never flush. */
    static final ChannelStreams.PendingOutput NOTHING_PENDING = new ChannelStreams.PendingOutput() {
        @Override
        public boolean pending() {
            return false;
        }

        @Override
        public void flush() {
            throw new AssertionError("nothing was pending");
        }
    };

    @TempDir
    Path dir;

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel accepted;
    private ChannelStreams streams;
    private int connections;
    /** The other end of each test's conversation, stopped after it. */
    private final ExecutorService background = Executors.newCachedThreadPool();

    /** Connects a client to a fresh listener and wraps the accepted side. */
    private void connect(String transport) throws IOException {
        SocketAddress address;
        if (transport.equals("tcp")) {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            address = listener.getLocalAddress();
        } else {
            address = UnixDomainSocketAddress.of(dir.resolve("s" + ++connections + ".sock"));
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        }
        client = SocketChannel.open(address);
        accepted = listener.accept();
        streams = new ChannelStreams(accepted, false);
    }

    @AfterEach
    void stopBackground() throws Exception {
        closeAll();
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).as("background threads ended").isTrue();
    }

    private void closeAll() {
        for (AutoCloseable c : new AutoCloseable[] {streams, accepted, client, listener}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private void send(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    /** One read of a byte on another thread: the byte, -1 at the end of the stream, or the I/O error. */
    private CompletableFuture<Object> readInBackground(InputStream in) {
        return readInBackground(in, background);
    }

    private static CompletableFuture<Object> readInBackground(InputStream in, java.util.concurrent.Executor on) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.read();
            } catch (IOException e) {
                return e;
            }
        }, on);
    }

    /** {@code n} bytes read on another thread, as ASCII. */
    private static CompletableFuture<String> readInBackground(InputStream in, int n, java.util.concurrent.Executor on) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return read(in, n);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, on);
    }

    /**
     * Connects, sets a long read timeout and starts a read of one byte on another thread from the stream
     * {@code in} gives; returns once that read is still waiting (on the connection's selector) after 100 ms.
     */
    private CompletableFuture<Object> aReadWaitingOnTheSelector(String transport,
            java.util.function.Function<ChannelStreams, InputStream> in) throws IOException {
        connect(transport);
        streams.setReadTimeoutMillis(20_000);
        CompletableFuture<Object> read = readInBackground(in.apply(streams));
        assertStillWaiting(read, 100);
        return read;
    }

    /** A negative check: the read has not ended within {@code millis} (a bound, not a wait for a condition). */
    private static void assertStillWaiting(CompletableFuture<?> read, long millis) {
        assertThatThrownBy(() -> read.get(millis, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void withoutATimeoutTheChannelStaysBlocking(String transport) throws IOException {
        connect(transport);
        InputStream in = streams.input(NOTHING_PENDING);

        send("hello");
        assertThat(read(in, 5)).isEqualTo("hello");

        assertThat(accepted.isBlocking()).as("no timeout: reads block in the kernel").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aTimedReadThatWaitsSwitchesToNonBlockingOnceAndTheConnectionOutlivesATimeout(String transport) throws Exception {
        connect(transport);
        streams.setReadTimeoutMillis(100);
        InputStream in = streams.input(NOTHING_PENDING);

        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("100 ms");
        assertThat(accepted.isBlocking()).as("left non-blocking for the rest of the connection").isFalse();

        // still usable: a read that has to wait gets the bytes that arrive while it waits
        streams.setReadTimeoutMillis(10_000);
        CompletableFuture<String> later = readInBackground(in, 5, background);
        send("again");
        assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("again");

        // and writes still go out whole from the non-blocking channel
        OutputStream out = streams.output();
        byte[] big = new byte[1 << 20];
        CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
            try {
                return java.nio.channels.Channels.newInputStream(client).readNBytes(big.length).length;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, background);
        out.write(big);
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(big.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aTimeoutOfZeroWaitsForever(String transport) throws Exception {
        connect(transport);
        streams.setReadTimeoutMillis(50);
        InputStream in = streams.input(NOTHING_PENDING);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

        streams.setReadTimeoutMillis(0);
        CompletableFuture<Object> read = readInBackground(in);
        // well past the old timeout, then a byte: a wait without a limit did not time out
        assertStillWaiting(read, 300);
        send("x");
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo((int) 'x');
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void wakeUpAfterShutdownEndsAWaitingReadWithEndOfStream(String transport) throws Exception {
        CompletableFuture<Object> read = aReadWaitingOnTheSelector(transport, s -> s.input(NOTHING_PENDING));

        accepted.shutdownInput();
        streams.wakeUp();

        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void closingAWaitingConnectionEndsTheReadWithAnIOException(String transport) throws Exception {
        CompletableFuture<Object> read = aReadWaitingOnTheSelector(transport, s -> s.input(NOTHING_PENDING));

        accepted.close();
        streams.close();

        assertThat(read.get(10, TimeUnit.SECONDS)).as("an I/O error, not a hang or a runtime exception")
                .isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void closingEitherStreamClosesTheConnection(String transport) throws IOException {
        connect(transport);
        streams.input(NOTHING_PENDING).close();
        assertThat(accepted.isOpen()).isFalse();
        closeAll();

        connect(transport);
        streams.output().close();
        assertThat(accepted.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void interruptingAWaitingReadClosesTheConnectionInsteadOfSpinning(String transport) throws Exception {
        CompletableFuture<Thread> reader = new CompletableFuture<>();
        CompletableFuture<Object> failure = aReadWaitingOnTheSelector(transport, s -> new java.io.FilterInputStream(
                s.input(NOTHING_PENDING)) {
            @Override
            public int read() throws IOException {
                reader.complete(Thread.currentThread());
                return super.read();
            }
        });

        reader.get(10, TimeUnit.SECONDS).interrupt();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(java.nio.channels.ClosedByInterruptException.class);
        assertThat(accepted.isOpen()).isFalse();
    }

    /**
     * On a virtual thread a timed TCP read goes through the JDK's socket adaptor, which keeps the socket
     * non-blocking underneath and parks the thread; the channel is never switched (and no selector holds the
     * carrier). Runs where the JVM has virtual threads (21+); CI's JDK 17 skips it.
     */
    @Test
    void onAVirtualThreadATimedTcpReadLeavesTheChannelToTheJdk() throws Exception {
        ExecutorService virtual;
        try {
            virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            org.junit.jupiter.api.Assumptions.abort("no virtual threads before Java 21");
            return;
        }
        try (AutoCloseable stop = virtual::shutdownNow) {
            connect("tcp");
            streams.setReadTimeoutMillis(100);
            InputStream in = streams.input(NOTHING_PENDING);
            CompletableFuture<Object> timedOut = readInBackground(in, virtual);
            assertThat(timedOut.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class);
            assertThat(accepted.isBlocking()).as("the channel is the JDK's to manage").isTrue();

            streams.setReadTimeoutMillis(10_000);
            CompletableFuture<String> later = readInBackground(in, 5, virtual);
            send("later");
            assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("later");
        }
    }

    /**
     * Sends {@code text} and waits until the accepted side's kernel holds all of it.
     *
     * @return the handler's view of the input (buffered, 4 bytes at a time, with the kernel's count), unread
     */
    private InputStream sendAndAwaitInTheKernel(String text) throws IOException {
        InputStream buffered = streams.withAvailable(new BufferedInputStream(streams.input(NOTHING_PENDING), 4));
        send(text);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (buffered.available() < text.length() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the bytes are on loopback within microseconds
        }
        return buffered;
    }

    @Test
    void theRawInputReportsNothingAvailableButTheHandlersStreamCountsWhatTheKernelHolds() throws Exception {
        connect("tcp");
        InputStream buffered = sendAndAwaitInTheKernel("0123456789");
        assertThat(buffered.available()).as("nothing read yet: all in the kernel").isEqualTo(10);
        assertThat(streams.input(NOTHING_PENDING).available()).as("what BufferedInputStream asks after a short read").isZero();

        assertThat(read(buffered, 2)).isEqualTo("01");
        assertThat(buffered.available()).as("2 left in the buffer, 6 in the kernel").isEqualTo(8);
    }

    /** A prompt waiting in a buffer, sent to the client by {@link #flush()}; counts the flushes. */
    private final class Prompt implements ChannelStreams.PendingOutput {
        private boolean pending = true;
        private volatile int flushes;

        @Override
        public boolean pending() {
            return pending;
        }

        @Override
        public void flush() throws IOException {
            streams.output().write("prompt> ".getBytes(StandardCharsets.US_ASCII));
            pending = false;
            flushes++;
        }
    }

    /** C's stdio before a terminal read: the client answers only what it has seen, so without the flush this hangs. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"tcp, 0", "tcp, 20000", "unix, 0", "unix, 20000"})
    void aReadThatWouldBlockFlushesThePendingOutputFirst(String transport, long timeoutMillis) throws Exception {
        connect(transport);
        streams.setReadTimeoutMillis(timeoutMillis);
        Prompt prompt = new Prompt();
        CompletableFuture<Object> answer = readInBackground(streams.input(prompt));

        ByteBuffer seen = ByteBuffer.allocate("prompt> ".length());
        while (seen.hasRemaining() && client.read(seen) >= 0) {
            // a blocking read: the prompt arrives, or the test's timeout ends the wait
        }
        assertThat(new String(seen.array(), StandardCharsets.US_ASCII)).isEqualTo("prompt> ");
        send("y");
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo((int) 'y');
        assertThat(prompt.flushes).isEqualTo(1);
    }

    /** Output stays batched while the client's bytes are already there: a read that need not wait flushes nothing. */
    @Test
    void aReadThatNeedNotWaitLeavesTheOutputBuffered() throws Exception {
        connect("tcp");
        sendAndAwaitInTheKernel("ab");
        Prompt prompt = new Prompt();
        assertThat(streams.input(prompt).read()).isEqualTo('a');
        assertThat(prompt.flushes).as("input was waiting: nothing flushed").isZero();
        assertThat(prompt.pending()).isTrue();
    }
}
