package io.sockethost.core.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The descriptor's {@code verify.maxConnectionsPerClient}: how many connections one IP address may hold
 * open at once (0 = no limit). Unix clients are not counted. Thread-safe.
 */
final class ClientLimiter {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ClientLimiter(int max) {
        this.max = max;
    }

    boolean tryEnter(SocketAddress client) {
        InetAddress key = key(client);
        if (key == null) {
            return true;
        }
        boolean[] entered = {false};
        open.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            entered[0] = true;
            return current + 1;
        });
        return entered[0];
    }

    void leave(SocketAddress client) {
        InetAddress key = key(client);
        if (key != null) {
            open.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
        }
    }

    private InetAddress key(SocketAddress client) {
        return max > 0 && client instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
