package io.sockethost.bench.load;

import java.nio.ByteBuffer;

/** {@link Workload#TCP_ECHO}: one persistent connection, one 64-byte request in flight at a time. */
final class EchoSession extends StreamSession {
    private int received;

    EchoSession(Worker worker) {
        super(worker);
    }

    @Override
    void send(long origin, long now) {
        received = 0;
        awaitReply(origin);
        write(Payload.request(), now);
    }

    @Override
    boolean consume(ByteBuffer bytes, long now) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (origin < 0) {
                fail("exchange: bytes nobody asked for", now);
                return false;
            }
            if (b != Payload.at(received)) {
                fail("exchange: reply differs from the request", now);
                return false;
            }
            if (++received == Payload.SIZE) {
                replied(now);
                worker.readyForNext(this, now);
            }
        }
        return true;
    }

    @Override
    void endOfStream(long now) {
        fail("exchange: connection closed by the server", now);
    }
}
