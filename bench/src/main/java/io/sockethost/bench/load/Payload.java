package io.sockethost.bench.load;

import java.nio.ByteBuffer;

/**
 * The 64-byte request every echo workload sends: lower-case letters, so that a server that does not echo
 * (an upper-casing one, say) is caught by the content check. UDP requests carry a sequence number in the
 * first 8 bytes, so that a late reply is not taken for the current one.
 */
final class Payload {
    static final int SIZE = 64;
    private static final byte[] BYTES = new byte[SIZE];

    static {
        for (int i = 0; i < SIZE; i++) {
            BYTES[i] = (byte) ('a' + i % 26);
        }
    }

    private Payload() {
    }

    /** A read-only buffer over the request, positioned at 0. */
    static ByteBuffer request() {
        return ByteBuffer.wrap(BYTES).asReadOnlyBuffer();
    }

    /** The byte expected at {@code offset} of an echoed stream of requests. */
    static byte at(long offset) {
        return BYTES[(int) (offset % SIZE)];
    }
}
