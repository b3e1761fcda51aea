package io.sockethost.core.config;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The descriptor's {@code verify} rules: a client matching a {@code deny} block is refused; if
 * {@code allow} is not empty, a client must match one of its blocks. Deny wins. Clients on Unix sockets
 * have no IP address and are judged by the plugin's hooks alone. Immutable, thread-safe.
 */
public record ClientRules(List<Cidr> allow, List<Cidr> deny, int maxConnectionsPerClient) {
    public ClientRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean permits(SocketAddress client) {
        if (!(client instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return true;
        }
        for (Cidr cidr : deny) {
            if (cidr.matches(inet.getAddress())) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (Cidr cidr : allow) {
            if (cidr.matches(inet.getAddress())) {
                return true;
            }
        }
        return false;
    }
}
