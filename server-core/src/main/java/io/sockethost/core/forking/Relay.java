package io.sockethost.core.forking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Moves bytes both ways between a client's connection and a worker's relay connection on one thread, with
 * both channels non-blocking under a private selector, until the worker ends its side (its handler finished,
 * or its process died) or the client goes away. The client's end of input is passed on as the worker's
 * (half-close), so a handler reading to EOF sees the client's EOF. Used by one thread, once.
 */
final class Relay {
    /**
     * Heap, not direct: a relay lives for one connection, and direct buffers are freed only by the garbage
     * collector, so short connections would pile them up until the JDK forces a full collection. The JDK
     * copies through a per-thread cached direct buffer instead.
     */
    private static final int BUFFER_SIZE = 16 * 1024;

    /** How a relay ended. */
    enum Outcome {
        /** The worker closed its side and everything it wrote reached the client. */
        WORKER_DONE,
        /** The client reset or closed the connection while the worker was still serving it. */
        CLIENT_GONE,
        /** The relay was interrupted or a channel was closed under it (server shutdown). */
        ABORTED
    }

    private final SocketChannel client;
    private final SocketChannel worker;
    /** Client to worker: filled by reads from the client, drained by writes to the worker. */
    private final ByteBuffer up = ByteBuffer.allocate(BUFFER_SIZE);
    /** Worker to client. */
    private final ByteBuffer down = ByteBuffer.allocate(BUFFER_SIZE);
    private boolean clientEof;
    private boolean workerInputClosed;
    private boolean workerEof;

    private final Runnable clientDone;

    /** @param clientDone called once when the client has closed its side: the request is winding down */
    Relay(SocketChannel client, SocketChannel worker, Runnable clientDone) {
        this.client = client;
        this.worker = worker;
        this.clientDone = clientDone;
    }

    Outcome run() throws IOException {
        boolean clientWasBlocking = client.isBlocking();
        client.configureBlocking(false);
        worker.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            SelectionKey clientKey = client.register(selector, 0);
            SelectionKey workerKey = worker.register(selector, 0);
            // Both may already have bytes waiting (the client's request, a fast worker's greeting).
            boolean clientReadable = true;
            boolean workerReadable = true;
            while (true) {
                if (clientReadable && !readClient()) {
                    return Outcome.CLIENT_GONE;
                }
                writeWorker();
                if (workerReadable) {
                    readWorker();
                }
                if (!writeClient()) {
                    return Outcome.CLIENT_GONE;
                }
                if (workerEof && down.position() == 0) {
                    return Outcome.WORKER_DONE;
                }
                clientKey.interestOps((clientEof || !up.hasRemaining() ? 0 : SelectionKey.OP_READ)
                        | (down.position() > 0 ? SelectionKey.OP_WRITE : 0));
                workerKey.interestOps((workerEof || !down.hasRemaining() ? 0 : SelectionKey.OP_READ)
                        | (up.position() > 0 ? SelectionKey.OP_WRITE : 0));
                selector.select();
                if (Thread.currentThread().isInterrupted() || !client.isOpen() || !worker.isOpen()) {
                    return Outcome.ABORTED;
                }
                clientReadable = selector.selectedKeys().contains(clientKey) && clientKey.isReadable();
                workerReadable = selector.selectedKeys().contains(workerKey) && workerKey.isReadable();
                selector.selectedKeys().clear();
            }
        } finally {
            // Closing the selector deregistered the client's channel, so it may block again for the server.
            if (clientWasBlocking && client.isOpen()) {
                client.configureBlocking(true);
            }
        }
    }

    /** @return false if the client is gone */
    private boolean readClient() {
        if (clientEof || !up.hasRemaining()) {
            return true;
        }
        try {
            if (client.read(up) < 0) {
                clientEof = true;
                clientDone.run();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void writeWorker() {
        if (workerInputClosed) {
            up.clear(); // the worker no longer reads: the client's bytes have nowhere to go
            return;
        }
        try {
            if (up.position() > 0) {
                up.flip();
                worker.write(up);
                up.compact();
            }
            if (clientEof && up.position() == 0) {
                workerInputClosed = true;
                worker.shutdownOutput();
            }
        } catch (IOException e) {
            // The worker closed its input or died; what it already wrote is still delivered.
            workerInputClosed = true;
            up.clear();
        }
    }

    private void readWorker() {
        if (workerEof || !down.hasRemaining()) {
            return;
        }
        try {
            if (worker.read(down) < 0) {
                workerEof = true;
            }
        } catch (IOException e) {
            workerEof = true; // reset by a dying worker
        }
    }

    /** @return false if the client is gone */
    private boolean writeClient() {
        if (down.position() == 0) {
            return true;
        }
        down.flip();
        try {
            client.write(down);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            down.compact();
        }
    }
}
