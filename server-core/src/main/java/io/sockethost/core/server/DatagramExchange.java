package io.sockethost.core.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.sockethost.api.DatagramRequest;
import io.sockethost.api.ServerContext;

/** One received datagram and the reply being written for it. Owned by the thread that serves it. */
final class DatagramExchange implements DatagramRequest {
    private final ByteBuffer payload;
    private final SocketAddress client;
    private final ServerContext server;
    private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
    private boolean discarded;

    DatagramExchange(byte[] payload, SocketAddress client, ServerContext server) {
        this.payload = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        this.client = client;
        this.server = server;
    }

    @Override
    public SocketAddress clientAddress() {
        return client;
    }

    @Override
    public ServerContext server() {
        return server;
    }

    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    @Override
    public OutputStream output() {
        return reply;
    }

    @Override
    public void discardReply() {
        discarded = true;
    }

    /** @return the reply to send, or {@code null} if the handler discarded it */
    ByteBuffer replyOrNull() {
        return discarded ? null : ByteBuffer.wrap(reply.toByteArray());
    }
}
