package io.sockethost.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.ProxyProtocolConfig;
import io.sockethost.core.proxy.ProxyHeader;
import io.sockethost.core.proxy.ProxyHeaderException;
import io.sockethost.core.proxy.ProxyHeaderReader;

/**
 * The PROXY protocol on a stream server's accept path: a new connection from a trusted peer waits here, on
 * the serve loop's own selector and without blocking it, until its header is whole; then it goes on with the
 * client the header names. A connection from a peer that is not trusted is turned away before a byte is read,
 * and one whose header is malformed, ends early or is not whole within {@code headerTimeout} is turned away
 * when that shows. Either way no handler, verify rule or hook has seen it.
 *
 * <p>Reading on the loop (rather than on the thread that will serve the connection) lets every concurrency
 * mode see the real client from the start: {@code verify} rules, the hook, the per-client cap and a forking
 * worker's hand-over all take the client the header names, and a silent client holds no worker thread or
 * process. Only the header's own bytes are read, so what the client sent after it stays in the socket.
 *
 * <p>Used by the serve loop's thread; {@link #closeAll()} may come from another.
 */
final class ProxyHeaders {
    private static final Logger log = LoggerFactory.getLogger(ProxyHeaders.class);
    /** How much of a rejected header a log line quotes (escaped). */
    private static final int QUOTED = 40;

    /** Where connections go once their header is read or refused. */
    interface Admission {
        /** Serves a connection, in blocking mode again, as coming from {@code client}. */
        void admit(SocketChannel channel, SocketAddress client);

        /** Turns a connection away before any handler saw it, closing it; {@code why} is safe to log. */
        void refuse(SocketChannel channel, SocketAddress peer, String why);
    }

    /** A connection whose header is still arriving. */
    private static final class Pending {
        final SocketChannel channel;
        final SocketAddress peer;
        final ProxyHeaderReader reader = new ProxyHeaderReader();
        final long deadline;
        SelectionKey key;
        ProxyHeader header;
        String failure;

        Pending(SocketChannel channel, SocketAddress peer, long deadline) {
            this.channel = channel;
            this.peer = peer;
            this.deadline = deadline;
        }
    }

    private final String server;
    private final ProxyProtocolConfig config;
    private final Admission admission;
    /** Guarded by this. */
    private final Set<Pending> pending = new LinkedHashSet<>();

    ProxyHeaders(String server, ProxyProtocolConfig config, Admission admission) {
        this.server = server;
        this.config = config;
        this.admission = admission;
    }

    /**
     * Takes a connection just accepted: turns an untrusted peer away, reads what has arrived of the header, and
     * leaves the rest to the loop's selector.
     */
    void accepted(SocketChannel channel, SocketAddress peer, Selector selector) {
        if (!trusted(channel, peer)) {
            return;
        }
        Pending p = new Pending(channel, peer, System.nanoTime() + config.headerTimeout().toNanos());
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            lost(p, e);
            return;
        }
        if (read(p)) {
            finish(List.of(p), selector);
            return;
        }
        synchronized (this) {
            try {
                p.key = channel.register(selector, SelectionKey.OP_READ, p);
            } catch (IOException | RuntimeException e) { // closed meanwhile, or the server is closing
                lost(p, e);
                return;
            }
            pending.add(p);
        }
    }

    /**
     * Takes a connection just accepted by a server serving one request ({@link SocketServer#handleRequest()}):
     * as {@link #accepted}, but waits for the header on the calling thread.
     */
    void acceptedHere(SocketChannel channel, SocketAddress peer) {
        if (!trusted(channel, peer)) {
            return;
        }
        ProxyHeader header;
        try {
            header = ProxyHeaderReader.readWithin(channel, config.headerTimeout());
        } catch (ProxyHeaderException e) {
            admission.refuse(channel, peer, "PROXY protocol: " + e.getMessage());
            return;
        } catch (IOException e) {
            lost(new Pending(channel, peer, 0), e);
            return;
        } catch (RuntimeException e) {
            log.warn("server {}: reading the PROXY protocol header of {} failed", server, peer, e);
            admission.refuse(channel, peer, "PROXY protocol: the header could not be read: " + e);
            return;
        }
        admitProxied(channel, peer, header);
    }

    /** Admits the connection as the header's client; a TCP connection may not name a UNIX socket as its client. */
    private void admitProxied(SocketChannel channel, SocketAddress peer, ProxyHeader header) {
        SocketAddress client = header.clientOr(peer);
        if (peer instanceof InetSocketAddress && !(client instanceof InetSocketAddress)) {
            // a socket path names no client that verify rules or per-address limits could judge
            admission.refuse(channel, peer, "PROXY protocol: a header with UNIX addresses on a TCP connection");
            return;
        }
        if (log.isDebugEnabled()) {
            log.debug("server {}: PROXY protocol v{} header from {}: client {}", server, header.version(), peer,
                    Refusals.escape(String.valueOf(client))); // a v2 header's Unix path is the sender's text
        }
        admission.admit(channel, client);
    }

    /** Turns an untrusted peer away. @return whether the peer is trusted */
    private boolean trusted(SocketChannel channel, SocketAddress peer) {
        if (config.trusts(peer instanceof InetSocketAddress inet ? inet.getAddress() : null)) {
            return true;
        }
        admission.refuse(channel, peer, "PROXY protocol: not a trusted sender of headers (proxyProtocol.trusted)");
        return false;
    }

    /** Reads the pending connections the loop's last wait found readable. */
    void serviceReady(Selector selector) {
        List<Pending> done = new ArrayList<>();
        for (SelectionKey key : List.copyOf(selector.selectedKeys())) {
            if (key.attachment() instanceof Pending p && key.isValid() && key.isReadable() && read(p)) {
                done.add(p);
            }
        }
        finish(done, selector);
    }

    /** Turns away the connections whose header is still not whole at its deadline (each read once more first). */
    void expire(Selector selector) {
        long now = System.nanoTime();
        List<Pending> late;
        synchronized (this) {
            late = pending.stream().filter(p -> now - p.deadline >= 0).toList();
        }
        for (Pending p : late) {
            if (!read(p)) {
                p.failure = p.reader.late(config.headerTimeout()).getMessage();
            }
        }
        finish(late, selector);
    }

    /** {@return milliseconds until the next header is due (at least 1), or {@code Long.MAX_VALUE} if none waits} */
    synchronized long millisToNextDeadline() {
        long now = System.nanoTime();
        return pending.stream().mapToLong(p -> Math.max(1, (p.deadline - now + 999_999) / 1_000_000)).min()
                .orElse(Long.MAX_VALUE);
    }

    /** Closes every connection still waiting for its header: the loop that would read them has ended. */
    void closeAll() {
        List<Pending> left;
        synchronized (this) {
            left = List.copyOf(pending);
            pending.clear();
        }
        for (Pending p : left) {
            closeQuietly(p.channel);
        }
    }

    /** @return whether the connection is done: its header is whole ({@code header}) or failed ({@code failure}) */
    private boolean read(Pending p) {
        try {
            p.header = p.reader.read(p.channel);
            return p.header != null;
        } catch (ProxyHeaderException e) {
            String start = p.reader.received(QUOTED);
            p.failure = "PROXY protocol: " + e.getMessage()
                    + (start.isEmpty() ? "" : "; it began \"" + Refusals.escape(start).replace("\"", "\\\"") + "\"");
            return true;
        } catch (IOException e) {
            p.failure = "PROXY protocol: reading the header failed: " + e;
            return true;
        } catch (RuntimeException e) {
            // a parser bug must cost this connection, never the accept loop that reads every header
            log.warn("server {}: reading the PROXY protocol header of {} failed", server, p.peer, e);
            p.failure = "PROXY protocol: the header could not be read: " + e;
            return true;
        }
    }

    /**
     * Hands on the connections that are done: out of the selector (a channel registered with one cannot block
     * again, and a forking server's worker shares its blocking mode), then admitted or refused. Runs the
     * admission outside the lock: a {@code sync} server serves the connection right there.
     */
    private void finish(List<Pending> done, Selector selector) {
        if (done.isEmpty()) {
            return;
        }
        boolean registered = false;
        synchronized (this) {
            for (Pending p : done) {
                pending.remove(p);
                if (p.key != null) {
                    p.key.cancel();
                    registered = true;
                }
            }
        }
        if (registered) {
            try {
                selector.selectNow(); // deregisters the cancelled keys; what it selects, the next wait selects again
            } catch (IOException | RuntimeException e) {
                log.debug("server {}: releasing finished PROXY headers from the selector: {}", server, e.toString());
            }
        }
        for (Pending p : done) {
            if (p.failure != null) {
                admission.refuse(p.channel, p.peer, p.failure);
                continue;
            }
            try {
                p.channel.configureBlocking(true);
            } catch (IOException | RuntimeException e) {
                lost(p, e);
                continue;
            }
            admitProxied(p.channel, p.peer, p.header);
        }
    }

    private void lost(Pending p, Exception e) {
        log.debug("server {}: connection from {} lost while its PROXY protocol header was read: {}", server, p.peer,
                e.toString());
        closeQuietly(p.channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing what is already lost
        }
    }
}
