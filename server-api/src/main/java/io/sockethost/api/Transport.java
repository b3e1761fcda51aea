package io.sockethost.api;

/**
 * The socket family and type a server listens on, as named in a descriptor's {@code transport} field.
 *
 * <p>Stream transports deliver {@link StreamRequest}s to a {@link StreamHandler}; datagram transports
 * deliver {@link DatagramRequest}s to a {@link DatagramHandler}. Immutable and thread-safe.
 */
public enum Transport {
    /** TCP over IPv4 or IPv6; Python's {@code TCPServer}. */
    TCP("tcp", true),
    /** UDP over IPv4 or IPv6; Python's {@code UDPServer}. */
    UDP("udp", false),
    /** A Unix domain stream socket at a file path; Python's {@code UnixStreamServer}. */
    UNIX_STREAM("unix-stream", true),
    /** A Unix domain datagram socket at a file path; Python's {@code UnixDatagramServer}. */
    UNIX_DATAGRAM("unix-datagram", false);

    private final String descriptorName;
    private final boolean stream;

    Transport(String descriptorName, boolean stream) {
        this.descriptorName = descriptorName;
        this.stream = stream;
    }

    /** {@return the name used in descriptors, e.g. {@code unix-stream}} */
    public String descriptorName() {
        return descriptorName;
    }

    /** {@return true for connection-oriented transports, served by a {@link StreamHandler}} */
    public boolean isStream() {
        return stream;
    }

    /** {@return true for transports addressed by a socket file rather than host and port} */
    public boolean isUnix() {
        return this == UNIX_STREAM || this == UNIX_DATAGRAM;
    }

    /**
     * Looks a transport up by its descriptor name.
     *
     * @param name a descriptor name such as {@code tcp}
     * @return the transport
     * @throws IllegalArgumentException if no transport has that name; the message lists the allowed ones
     */
    public static Transport fromDescriptorName(String name) {
        for (Transport t : values()) {
            if (t.descriptorName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport \"" + name + "\"; allowed: tcp, udp, unix-stream, unix-datagram");
    }

    @Override
    public String toString() {
        return descriptorName;
    }
}
