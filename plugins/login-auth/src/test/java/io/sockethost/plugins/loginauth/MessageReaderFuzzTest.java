package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sockethost.testkit.TrickleInput;

/**
 * Fuzzes {@link MessageReader}, which cuts a login client's bytes into messages, with the bytes split across
 * reads as the network may split them.
 *
 * <p>Input: byte 0 is the read size ({@code '1'} to {@code '9'}: that many bytes per read; anything else:
 * as many as the reader asks for); byte 1 sets {@code maxMessageBytes} to 64 (the smallest the settings
 * allow) plus its unsigned value; the rest is what the client sends. Messages are read until the input ends
 * or the reader refuses.
 *
 * <p>Expected: {@link MessageReader.TooLongException} for a message over the limit. A finding is any other
 * exception or error (a {@link java.net.SocketTimeoutException} included: the bytes are all there, well
 * within the idle timeout), a hang, or a message that breaks the reader's contract: longer than the limit,
 * empty, holding a {@code \n}, ending in another terminator than none, {@code \n} or {@code \r\n}, an
 * unterminated one after a line, more bytes out than in, or a read timeout that is not positive.
 */
class MessageReaderFuzzTest {
    private static final Duration IDLE = Duration.ofSeconds(30);

    @FuzzTest
    @Timeout(10)
    void readMessages(byte[] input) throws IOException {
        int readSize = input.length > 0 && input[0] >= '1' && input[0] <= '9' ? input[0] - '0' : Integer.MAX_VALUE;
        int max = 64 + (input.length > 1 ? input[1] & 0xff : 0);
        byte[] sent = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
        MessageReader reader = new MessageReader(new TrickleInput(sent, readSize), max, IDLE,
                timeout -> assertThat(timeout).isPositive().isLessThanOrEqualTo(IDLE));
        long out = 0;
        boolean lines = false;
        try {
            for (MessageReader.Message m = reader.next(); m != null; m = reader.next()) {
                byte[] body = m.body();
                String terminator = new String(m.terminator(), StandardCharsets.ISO_8859_1);
                assertThat(terminator).isIn("", "\n", "\r\n");
                assertThat(body.length).as("message length").isBetween(1, max);
                assertThat(body).doesNotContain((byte) '\n');
                if (terminator.isEmpty()) {
                    assertThat(lines).as("an unterminated message after a line").isFalse();
                } else {
                    lines = true;
                }
                out += body.length + m.terminator().length;
                assertThat(out).as("bytes out of %d in", sent.length).isLessThanOrEqualTo(sent.length);
                m.wipe();
            }
        } catch (MessageReader.TooLongException e) {
            // refused: the handler answers and closes
        } finally {
            reader.wipe();
        }
    }
}
