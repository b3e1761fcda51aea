package io.sockethost.plugins.httplite;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte arrays for file data, borrowed for one response and given back. A connection keeps none while it
 * idles, so memory follows the responses in flight, not the connections held open; a few arrays are kept
 * for reuse so that busy servers do not allocate one per request. Thread-safe.
 */
final class ChunkPool {
    private final int size;
    private final ArrayBlockingQueue<byte[]> free;

    /**
     * @param size the length of every array
     * @param retained how many returned arrays are kept for reuse; more are left to the garbage collector
     */
    ChunkPool(int size, int retained) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(retained);
    }

    /** @return an array of {@code size} bytes with arbitrary content, owned by the caller until {@link #give} */
    byte[] take() {
        byte[] chunk = free.poll();
        return chunk != null ? chunk : new byte[size];
    }

    /** Returns an array from {@link #take}; the caller must not use it afterwards. */
    void give(byte[] chunk) {
        free.offer(chunk);
    }
}
