package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection's buffers: small until a message outgrows them, then full size; the bytes always intact. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrowingBufferedStreamsTest {
    /** Records each write that reaches it, as the channel below a connection's buffer would see them. */
    private static final class Writes extends OutputStream {
        final List<Integer> sizes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            sizes.add(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sizes.add(len);
            bytes.write(b, off, len);
        }
    }

    /** Gives at most {@code chunk} bytes per read, as a socket gives what has arrived. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private final int chunk;
        final List<Integer> reads = new ArrayList<>();

        Chunked(byte[] data, int chunk) {
            this.in = new ByteArrayInputStream(data);
            this.chunk = chunk;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads.add(len);
            return in.read(b, off, Math.min(len, chunk));
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void smallMessagesKeepTheSmallBufferAndLeaveInOneWrite() throws IOException {
        Writes below = new Writes();
        GrowingBufferedOutputStream out = new GrowingBufferedOutputStream(below, 512, 4096);

        for (int i = 0; i < 100; i++) {
            out.write(random(64, i));
            assertThat(out.pending()).isTrue();
            out.flush();
            assertThat(out.pending()).isFalse();
        }

        assertThat(out.capacity()).isEqualTo(512);
        assertThat(below.sizes).hasSize(100).containsOnly(64);
    }

    @Test
    void aResponseLargerThanTheBufferGrowsItAndStillLeavesInOneWrite() throws IOException {
        Writes below = new Writes();
        GrowingBufferedOutputStream out = new GrowingBufferedOutputStream(below, 512, 4096);
        byte[] head = random(150, 1);
        byte[] body = random(1024, 2);

        out.write(head);
        out.write(body);
        assertThat(below.sizes).as("nothing leaves before the flush").isEmpty();
        out.flush();

        assertThat(out.capacity()).isEqualTo(2048);
        assertThat(below.sizes).containsExactly(150 + 1024);
        byte[] expected = Arrays.copyOf(head, 150 + 1024);
        System.arraycopy(body, 0, expected, 150, 1024);
        assertThat(below.bytes.toByteArray()).isEqualTo(expected);
    }

    @Test
    void aWriteOfTheMaximumGoesStraightThroughAfterWhatIsBuffered() throws IOException {
        Writes below = new Writes();
        GrowingBufferedOutputStream out = new GrowingBufferedOutputStream(below, 512, 4096);
        byte[] big = random(10_000, 3);

        out.write('x');
        out.write(big);

        assertThat(below.sizes).containsExactly(1, 10_000);
        assertThat(out.pending()).isFalse();
        assertThat(out.capacity()).isEqualTo(512);
    }

    @Test
    void singleBytesGrowTheBufferToTheMaximumThenFlushWhenFull() throws IOException {
        Writes below = new Writes();
        GrowingBufferedOutputStream out = new GrowingBufferedOutputStream(below, 512, 4096);
        byte[] data = random(9_000, 4);

        for (byte b : data) {
            out.write(b);
        }
        out.flush();

        assertThat(out.capacity()).isEqualTo(4096);
        assertThat(below.sizes).containsExactly(4096, 4096, 9_000 - 8192);
        assertThat(below.bytes.toByteArray()).isEqualTo(data);
    }

    @Test
    void anyMixOfWritesArrivesIntactAndInOrder() throws IOException {
        Writes below = new Writes();
        GrowingBufferedOutputStream out = new GrowingBufferedOutputStream(below, 16, 256);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(5);

        for (int i = 0; i < 2_000; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    int b = random.nextInt(256);
                    out.write(b);
                    expected.write(b);
                }
                case 1 -> out.flush();
                default -> {
                    byte[] chunk = random(random.nextInt(400), i);
                    int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                    out.write(chunk, off, chunk.length - off);
                    expected.write(chunk, off, chunk.length - off);
                }
            }
            assertThat(out.capacity()).isBetween(16, 256);
        }
        out.flush();

        assertThat(below.bytes.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void inputKeepsTheSmallBufferWhileMessagesFitIt() throws IOException {
        byte[] data = random(64 * 50, 6);
        Chunked below = new Chunked(data, 64);
        GrowingBufferedInputStream in = new GrowingBufferedInputStream(below, 512, 4096);

        byte[] read = in.readAllBytes();

        assertThat(read).isEqualTo(data);
        assertThat(in.capacity()).isEqualTo(512);
    }

    @Test
    void inputGrowsOnceARefillFillsTheBuffer() throws IOException {
        byte[] data = random(20_000, 7);
        Chunked below = new Chunked(data, 100_000);
        GrowingBufferedInputStream in = new GrowingBufferedInputStream(below, 512, 4096);
        ByteArrayOutputStream got = new ByteArrayOutputStream();

        for (int b; (b = in.read()) >= 0; ) {
            got.write(b);
        }

        assertThat(got.toByteArray()).isEqualTo(data);
        assertThat(in.capacity()).isEqualTo(4096);
        assertThat(below.reads).startsWith(512, 2048, 4096, 4096);
    }

    @Test
    void inputStaysIntactUnderAnyMixOfReadsAndMarks() throws IOException {
        byte[] data = random(50_000, 8);
        Random random = new Random(9);
        GrowingBufferedInputStream in = new GrowingBufferedInputStream(new Chunked(data, 700), 16, 1024);
        ByteArrayOutputStream got = new ByteArrayOutputStream();

        while (true) {
            int what = random.nextInt(5);
            if (what == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
            } else if (what == 1) {
                // mark, read ahead, go back: what was read ahead must come again
                in.mark(300);
                byte[] ahead = new byte[random.nextInt(300)];
                in.read(ahead);
                in.reset();
            } else {
                byte[] chunk = new byte[1 + random.nextInt(2_000)];
                int n = in.read(chunk, 0, chunk.length);
                if (n < 0) {
                    break;
                }
                got.write(chunk, 0, n);
            }
            assertThat(in.capacity()).isLessThanOrEqualTo(1024);
        }

        assertThat(got.toByteArray()).isEqualTo(data);
    }
}
