package io.sockethost.bench.load;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

/**
 * {@link Workload#UDP_ECHO}: a connected datagram socket with one 64-byte request in flight. Each request
 * carries a sequence number; a reply that does not arrive within the reply timeout is counted lost and
 * the request is sent again (a reply that comes later is recognised by its number and ignored).
 */
final class UdpSession extends Session {
    private static final long RETRY_PAUSE = TimeUnit.MILLISECONDS.toNanos(10);

    private final ByteBuffer out = ByteBuffer.allocateDirect(Payload.SIZE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(2048);
    private final long replyTimeout;
    private DatagramChannel channel;
    private long sequence;
    private long origin = -1;

    UdpSession(Worker worker) {
        super(worker);
        this.replyTimeout = worker.spec.replyTimeout().toNanos();
        out.put(Payload.request());
    }

    @Override
    void open(long now) {
        try {
            channel = DatagramChannel.open(worker.spec.target().getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.connect(worker.spec.target());
            channel.register(worker.selector, SelectionKey.OP_READ, this);
            worker.readyForNext(this, now);
        } catch (IOException e) {
            worker.error(Errors.kind("open", e));
            close();
            setDeadline(now + RETRY_PAUSE);
        }
    }

    @Override
    void send(long origin, long now) {
        this.origin = origin;
        sequence++;
        out.clear();
        out.putLong(0, sequence);
        setDeadline(now + replyTimeout);
        try {
            channel.write(out); // 0 if the socket buffer is full: the reply timeout resends it
        } catch (IOException e) {
            worker.error(Errors.kind("send", e));
        }
    }

    @Override
    void onReady(SelectionKey key, long now) {
        try {
            in.clear();
            int n = channel.read(in);
            if (n <= 0 || origin < 0) {
                return;
            }
            if (n < 8 || in.getLong(0) != sequence) {
                return; // a late reply to a request already counted lost
            }
            if (n != Payload.SIZE || !echoed()) {
                worker.error("exchange: reply differs from the request");
                retry(now);
                return;
            }
            worker.completed(origin, now);
            origin = -1;
            deadline = Long.MAX_VALUE;
            worker.readyForNext(this, now);
        } catch (IOException e) {
            worker.error(Errors.kind("receive", e));
            retry(now);
        }
    }

    private boolean echoed() {
        for (int i = 8; i < Payload.SIZE; i++) {
            if (in.get(i) != Payload.at(i)) {
                return false;
            }
        }
        return true;
    }

    private void retry(long now) {
        origin = -1;
        setDeadline(now + RETRY_PAUSE);
    }

    @Override
    void onDeadline(long now) {
        if (channel == null) {
            open(now);
            return;
        }
        if (origin >= 0) {
            worker.error("no reply within " + TimeUnit.NANOSECONDS.toMillis(replyTimeout) + " ms (lost or late; resent)");
        }
        send(now, now);
    }

    @Override
    long pendingSince() {
        return -1; // a lost datagram is counted and resent at once, never left pending
    }

    @Override
    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to count
            }
            channel = null;
        }
    }
}
