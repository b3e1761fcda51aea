package io.sockethost.core.activation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sockethost.api.Transport;
import io.sockethost.core.config.ServerConfig;

/**
 * The listening sockets systemd passed to the host (socket activation), handed out to the servers that
 * claim them: a server takes the descriptor named after it in {@code LISTEN_FDNAMES}, or else the one of its
 * transport bound to its configured address. Each descriptor goes to one server at most; a server with no
 * descriptor binds its address itself. Thread-safe; one instance per process ({@link #ofThisProcess()}).
 */
public final class InheritedSockets {
    private static final InheritedSockets PROCESS = new InheritedSockets(ListenFds.ofThisProcess(), new ProcSockets(Path.of("/proc")));

    private final List<ListenFds.Passed> unclaimed;
    private final ProcSockets proc;

    InheritedSockets(ListenFds passed, ProcSockets proc) {
        this.unclaimed = new ArrayList<>(passed.fds());
        this.proc = proc;
    }

    /** @return the sockets systemd passed to this JVM (none when it was not socket-activated) */
    public static InheritedSockets ofThisProcess() {
        return PROCESS;
    }

    /** @return whether no passed socket is left unclaimed */
    public synchronized boolean isEmpty() {
        return unclaimed.isEmpty();
    }

    /**
     * @return the passed listening socket for this stream server (blocking, as a new channel is), or null
     * @throws IOException if the descriptor named after the server is not a listening socket of its transport,
     *     or the JVM does not allow taking it over
     */
    public ServerSocketChannel takeStream(ServerConfig config) throws IOException {
        Claim claim = claim(config);
        if (claim == null) {
            return null;
        }
        boolean unix = config.transport() == Transport.UNIX_STREAM;
        return InheritedChannels.serverSocket(claim.fd(), InheritedChannels.family(unix, claim.socket().ipv6()));
    }

    /**
     * @return the passed socket for this datagram server (blocking), or null
     * @throws IOException as {@link #takeStream}
     */
    public DatagramChannel takeDatagram(ServerConfig config) throws IOException {
        Claim claim = claim(config);
        if (claim == null) {
            return null;
        }
        return config.transport() == Transport.UNIX_DATAGRAM ? InheritedChannels.unixDatagram(claim.fd())
                : InheritedChannels.datagram(claim.fd(), claim.socket().ipv6());
    }

    private record Claim(int fd, ProcSockets.Described socket) {
    }

    private synchronized Claim claim(ServerConfig config) throws IOException {
        if (unclaimed.isEmpty()) {
            return null;
        }
        for (ListenFds.Passed p : unclaimed) {
            if (p.name().equals(config.name())) {
                ProcSockets.Described socket = proc.describe(p.fd());
                if (socket == null || socket.transport() != config.transport()) {
                    throw new IOException("server " + config.name() + ": the socket systemd passed under its name (descriptor "
                            + p.fd() + ") is " + (socket == null ? "not a bound inet or unix socket" : "a "
                            + socket.transport() + " socket") + ", not " + config.transport());
                }
                unclaimed.remove(p);
                return new Claim(p.fd(), socket);
            }
        }
        for (ListenFds.Passed p : unclaimed) {
            ProcSockets.Described socket = proc.describe(p.fd());
            if (socket != null && socket.transport() == config.transport() && sameAddress(socket.address(), config.address())) {
                unclaimed.remove(p);
                return new Claim(p.fd(), socket);
            }
        }
        return null;
    }

    static boolean sameAddress(SocketAddress passed, SocketAddress configured) {
        if (passed instanceof InetSocketAddress a && configured instanceof InetSocketAddress b) {
            return a.getPort() == b.getPort() && !b.isUnresolved() && a.getAddress().equals(b.getAddress());
        }
        if (passed instanceof UnixDomainSocketAddress a && configured instanceof UnixDomainSocketAddress b) {
            return a.getPath().toAbsolutePath().normalize().equals(b.getPath().toAbsolutePath().normalize());
        }
        return false;
    }
}
