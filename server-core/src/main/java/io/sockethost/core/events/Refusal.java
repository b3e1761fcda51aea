package io.sockethost.core.events;

/** Why a server turned a client away before any handler saw it. */
public enum Refusal {
    /** The descriptor's {@code verify.allow}/{@code verify.deny} address rules. */
    RULES,
    /** The plugin's {@code verifyRequest} hook said no, or failed. */
    VERIFY,
    /** {@code verify.maxConnectionsPerClient} was reached. */
    LIMIT,
    /**
     * The PROXY protocol ({@code proxyProtocol}): the peer is not trusted to send a header, or its header was
     * missing, malformed, cut short or late.
     */
    PROXY,
    /**
     * The client failed the TLS handshake ({@code tls}): plain text on a TLS port, an old protocol, no common
     * cipher suite, a certificate it does not trust, or no handshake within {@code handshakeTimeout}.
     */
    TLS,
    /** Every worker was busy ({@code concurrency.maxWorkers}): the connection was turned away, or the datagram dropped. */
    BUSY;

    /** @return the name used as a metric tag */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
