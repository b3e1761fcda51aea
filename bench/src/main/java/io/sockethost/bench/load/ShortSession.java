package io.sockethost.bench.load;

import java.nio.ByteBuffer;

/**
 * {@link Workload#SHORT_CONNECTIONS}: connect, send 64 bytes, read them back, close; then again with a new
 * connection. The latency covers the whole cycle from the connect call to the last reply byte.
 */
final class ShortSession extends StreamSession {
    private int received;

    ShortSession(Worker worker) {
        super(worker);
    }

    @Override
    void open(long now) {
        received = 0;
        awaitReply(now);
        connect(now);
    }

    @Override
    void connected(long now) {
        write(Payload.request(), now);
    }

    @Override
    void send(long origin, long now) {
        throw new UnsupportedOperationException("short connections run in closed loop only");
    }

    @Override
    boolean consume(ByteBuffer bytes, long now) {
        while (bytes.hasRemaining()) {
            if (bytes.get() != Payload.at(received)) {
                fail("exchange: reply differs from the request", now);
                return false;
            }
            if (++received == Payload.SIZE) {
                replied(now);
                closeChannel();
                open(now);
                return false;
            }
        }
        return true;
    }

    @Override
    void endOfStream(long now) {
        fail("exchange: connection closed before the reply", now);
    }
}
