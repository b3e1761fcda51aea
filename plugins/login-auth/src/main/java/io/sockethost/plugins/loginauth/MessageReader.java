package io.sockethost.plugins.loginauth;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a client's bytes into messages, in the two framings the login protocol meets:
 * <ul>
 *   <li>unterminated, as the example's client sends them: whatever one read returns is one message, like
 *       the example's {@code recv(1024)} (the client waits for each reply, so messages never run together);</li>
 *   <li>lines, as {@code nc} or telnet send them: once a message ends in {@code \n} (or {@code \r\n}) the
 *       connection is in line mode for good, and a message is everything up to the next terminator, however
 *       the bytes are split across reads. Empty lines are skipped.</li>
 * </ul>
 * Bounded: a message longer than {@code maxMessageBytes} (terminator not counted) fails with
 * {@link TooLongException}, and a message that takes longer than {@code idleTimeout} to arrive, counted
 * from the call to {@link #next()}, fails with {@link SocketTimeoutException}.
 *
 * <p>Not thread-safe: one per connection. The buffer is cleared as messages leave it, since they may hold
 * passwords.
 */
final class MessageReader {
    private static final byte[] NONE = {};
    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * One message.
     *
     * @param body the bytes without terminator; the caller should {@link #wipe()} them when done
     * @param terminator what ended it: nothing (unterminated), {@code \n} or {@code \r\n}; replies end the same way
     */
    record Message(byte[] body, byte[] terminator) {
        void wipe() {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** A client sent more than {@code maxMessageBytes} without a message ending. */
    static final class TooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLongException(int max) {
            super("message longer than " + max + " bytes");
        }
    }

    private final InputStream in;
    private final int maxMessageBytes;
    private final long idleTimeoutNanos;
    private final Consumer<Duration> readTimeout;
    /** Room for a whole message, its {@code \r\n}, and no more: a longer message cannot hide in it. */
    private final byte[] buffer;
    private int count;
    private boolean lineMode;

    /**
     * @param readTimeout sets how long the next read on {@code in} may block ({@code StreamRequest::setReadTimeout})
     */
    MessageReader(InputStream in, int maxMessageBytes, Duration idleTimeout, Consumer<Duration> readTimeout) {
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.readTimeout = readTimeout;
        this.buffer = new byte[maxMessageBytes + 2];
    }

    /**
     * @return the next message, or {@code null} when the client closed (a partial line is dropped)
     * @throws TooLongException if the message is longer than allowed
     * @throws SocketTimeoutException if it did not arrive within the idle timeout
     */
    Message next() throws IOException {
        long deadline = System.nanoTime() + idleTimeoutNanos;
        while (true) {
            int newline = indexOf((byte) '\n');
            if (newline >= 0) {
                lineMode = true;
                boolean crlf = newline > 0 && buffer[newline - 1] == '\r';
                int length = crlf ? newline - 1 : newline;
                Message line = take(length, newline + 1, crlf ? CRLF : LF);
                if (line.body().length > 0) {
                    return line;
                }
                continue;
            }
            if (!lineMode && count > 0) {
                if (count > maxMessageBytes) {
                    throw new TooLongException(maxMessageBytes);
                }
                return take(count, count, NONE);
            }
            if (count > maxMessageBytes + 1) {
                throw new TooLongException(maxMessageBytes);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no complete message within " + Duration.ofNanos(idleTimeoutNanos).toMillis() + " ms");
            }
            readTimeout.accept(Duration.ofNanos(left));
            int n = in.read(buffer, count, buffer.length - count);
            if (n < 0) {
                return null;
            }
            count += n;
        }
    }

    /** Clears whatever is still buffered. */
    void wipe() {
        Arrays.fill(buffer, (byte) 0);
        count = 0;
    }

    private int indexOf(byte b) {
        for (int i = 0; i < count; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Removes {@code consumed} bytes from the buffer's front, returning the first {@code length} of them. */
    private Message take(int length, int consumed, byte[] terminator) throws TooLongException {
        if (length > maxMessageBytes) {
            throw new TooLongException(maxMessageBytes);
        }
        byte[] body = Arrays.copyOf(buffer, length);
        System.arraycopy(buffer, consumed, buffer, 0, count - consumed);
        Arrays.fill(buffer, count - consumed, count, (byte) 0);
        count -= consumed;
        return new Message(body, terminator);
    }
}
