package io.sockethost.core.proxy;

import java.net.SocketAddress;

/**
 * A PROXY protocol header (HAProxy's v1 text or v2 binary form), as {@link ProxyHeaderParser} read it from the
 * start of a connection. Only {@link Proxied} names another client; a {@link Local} header (a load balancer's
 * own health check) and an {@link Unknown} one (a v1 {@code UNKNOWN} line, a v2 {@code UNSPEC} family) leave
 * the connection's real endpoints in force, as the specification says. Immutable values.
 */
public sealed interface ProxyHeader permits ProxyHeader.Proxied, ProxyHeader.Local, ProxyHeader.Unknown {

    /** {@return 1 or 2} */
    int version();

    /** {@return the header's length in bytes, on the wire} */
    int length();

    /**
     * {@return the client handlers should see}
     *
     * @param peer the connection's real remote address (the load balancer)
     */
    SocketAddress clientOr(SocketAddress peer);

    /**
     * A relayed connection: the original client and the address it connected to.
     *
     * @param source the original client, an {@link java.net.InetSocketAddress} or, from a v2 {@code UNIX}
     *     header, a {@link java.net.UnixDomainSocketAddress}
     * @param destination the address the client reached at the load balancer
     */
    record Proxied(int version, int length, SocketAddress source, SocketAddress destination) implements ProxyHeader {
        @Override
        public SocketAddress clientOr(SocketAddress peer) {
            return source;
        }
    }

    /** v2 {@code LOCAL}: the load balancer speaks for itself (a health check); the real endpoints stand. */
    record Local(int version, int length) implements ProxyHeader {
        @Override
        public SocketAddress clientOr(SocketAddress peer) {
            return peer;
        }
    }

    /** v1 {@code UNKNOWN} or a v2 {@code UNSPEC} family: the sender does not know the client; the real endpoints stand. */
    record Unknown(int version, int length) implements ProxyHeader {
        @Override
        public SocketAddress clientOr(SocketAddress peer) {
            return peer;
        }
    }
}
