package io.sockethost.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A stream server's {@code proxyProtocol} block: every connection must begin with a PROXY protocol header
 * (HAProxy's v1 or v2), sent by a load balancer in front of the host, which names the original client.
 * Immutable, thread-safe.
 *
 * @param trusted the address blocks a header is believed from (tcp); empty on unix-stream, whose peers have
 *     no address and are vetted by the socket file's permissions
 * @param headerTimeout how long a connection may take to send its whole header before it is closed
 */
public record ProxyProtocolConfig(List<Cidr> trusted, Duration headerTimeout) {
    public ProxyProtocolConfig {
        trusted = List.copyOf(trusted);
    }

    /** {@return whether a header from {@code peer} (null: a Unix peer, which has no address) is believed} */
    public boolean trusts(InetAddress peer) {
        if (peer == null) {
            return true;
        }
        for (Cidr cidr : trusted) {
            if (cidr.matches(peer)) {
                return true;
            }
        }
        return false;
    }
}
