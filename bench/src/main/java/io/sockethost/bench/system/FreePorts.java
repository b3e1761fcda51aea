package io.sockethost.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback ports that are free right now: bind port 0, read it, close. Other builds share the machine, so
 * the port is taken for a server only just before it starts; a lost race shows up as a bind failure.
 */
public final class FreePorts {
    /**
     * Ports handed out recently: the kernel may hand a just-closed ephemeral port out again at once, and two
     * servers of one host given the same port refuse to start. Bounded, oldest forgotten first.
     */
    private static final java.util.Deque<Integer> RECENT = new java.util.ArrayDeque<>();
    private static final int REMEMBERED = 256;

    private FreePorts() {
    }

    /** A port free for both TCP and UDP on 127.0.0.1, and not handed out by a recent call. */
    public static synchronized int any() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = tcp();
            if (RECENT.contains(port)) {
                continue;
            }
            if (freeForUdp(port)) {
                RECENT.addLast(port);
                if (RECENT.size() > REMEMBERED) {
                    RECENT.removeFirst();
                }
                return port;
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP");
    }

    private static boolean freeForUdp(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return probe.isBound();
        } catch (IOException e) {
            return false; // taken for UDP
        }
    }

    private static int tcp() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
