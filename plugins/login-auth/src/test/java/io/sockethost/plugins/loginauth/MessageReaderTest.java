package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MessageReaderTest {
    private final List<Duration> timeouts = new ArrayList<>();

    @Test
    void eachUnterminatedReadIsOneMessage() throws Exception {
        MessageReader reader = reader(64, "Now client connect to Server", "username:alice", "userpasswd:x");
        assertMessage(reader.next(), "Now client connect to Server", "");
        assertMessage(reader.next(), "username:alice", "");
        assertMessage(reader.next(), "userpasswd:x", "");
        assertThat(reader.next()).isNull();
        assertThat(timeouts).hasSize(4).allSatisfy(t -> assertThat(t).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void linesAreCutAtTheirTerminatorHoweverTheyArrive() throws Exception {
        // Before the first terminator a read is a whole message, as for the example's client; after it, lines rule.
        MessageReader reader = reader(64, "Now client connect to Server\nusername:al", "ice\nuserpass", "wd:x\r\n\n\r\nuser",
                "name:bob\n", "partial");
        assertMessage(reader.next(), "Now client connect to Server", "\n");
        assertMessage(reader.next(), "username:alice", "\n");
        assertMessage(reader.next(), "userpasswd:x", "\r\n");
        assertMessage(reader.next(), "username:bob", "\n");
        assertThat(reader.next()).as("a partial line at the end is dropped").isNull();
    }

    @Test
    void oneReadWithSeveralLinesGivesEachLine() throws Exception {
        MessageReader reader = reader(64, "a\nb\nc");
        assertMessage(reader.next(), "a", "\n");
        assertMessage(reader.next(), "b", "\n");
        assertThat(reader.next()).isNull();
    }

    @Test
    void aMessageOfExactlyTheLimitPassesAndOneByteMoreFails() throws Exception {
        String max = "x".repeat(64);
        assertMessage(reader(64, max).next(), max, "");
        assertMessage(reader(64, max + "\r\n").next(), max, "\r\n");
        assertThatThrownBy(() -> reader(64, max + "y").next()).isInstanceOf(MessageReader.TooLongException.class)
                .hasMessage("message longer than 64 bytes");
        assertThatThrownBy(() -> reader(64, max + "y\n").next()).isInstanceOf(MessageReader.TooLongException.class);
        assertThatThrownBy(() -> reader(64, "x".repeat(10_000)).next()).isInstanceOf(MessageReader.TooLongException.class);
    }

    @Test
    void aLineLongerThanTheLimitFailsEvenWhenItArrivesInSmallPieces() throws Exception {
        MessageReader reader = reader(64, "a\n", "x".repeat(40), "x".repeat(40), "\n");
        assertMessage(reader.next(), "a", "\n");
        assertThatThrownBy(reader::next).isInstanceOf(MessageReader.TooLongException.class);
    }

    private MessageReader reader(int max, String... chunks) {
        return new MessageReader(new Chunks(chunks), max, Duration.ofSeconds(5), timeouts::add);
    }

    private static void assertMessage(MessageReader.Message message, String body, String terminator) {
        assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(new String(message.terminator(), StandardCharsets.UTF_8)).isEqualTo(terminator);
    }

    /** Gives one chunk per read, as a socket gives one segment. */
    private static final class Chunks extends InputStream {
        private final Deque<byte[]> chunks = new ArrayDeque<>();

        Chunks(String... chunks) {
            for (String c : chunks) {
                this.chunks.add(c.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public int read() throws IOException {
            throw new UnsupportedOperationException("the reader reads in blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            byte[] chunk = chunks.poll();
            if (chunk == null) {
                return -1;
            }
            int n = Math.min(len, chunk.length);
            System.arraycopy(chunk, 0, b, off, n);
            if (n < chunk.length) {
                chunks.addFirst(java.util.Arrays.copyOfRange(chunk, n, chunk.length));
            }
            return n;
        }
    }
}
