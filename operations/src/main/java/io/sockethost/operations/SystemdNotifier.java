package io.sockethost.operations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sd_notify protocol without libsystemd: one datagram per message to the Unix socket named by
 * {@code NOTIFY_SOCKET} (a leading {@code @} is the abstract namespace), through junixsocket because the JDK
 * has no Unix datagram sockets. Sent from the JVM itself, the service's main process, as systemd's default
 * {@code NotifyAccess=main} requires. Where {@code NOTIFY_SOCKET} is unset every method does nothing. A failed
 * send is logged, never thrown: readiness reporting must not stop the host. Thread-safe.
 */
public final class SystemdNotifier {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final AFUNIXSocketAddress target;
    private final String socketName;

    private SystemdNotifier(AFUNIXSocketAddress target, String socketName) {
        this.target = target;
        this.socketName = socketName;
    }

    /** @return a notifier for {@code NOTIFY_SOCKET} in {@code env}, or one that does nothing without it */
    public static SystemdNotifier fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return new SystemdNotifier(null, null);
        }
        try {
            AFUNIXSocketAddress address = socket.startsWith("@")
                    ? AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1))
                    : AFUNIXSocketAddress.of(Path.of(socket));
            return new SystemdNotifier(address, socket);
        } catch (IOException | RuntimeException e) {
            log.warn("NOTIFY_SOCKET {} is not a usable socket address ({}); systemd will not hear from the host", socket, e.toString());
            return new SystemdNotifier(null, null);
        }
    }

    /** @return whether a service manager listens */
    public boolean enabled() {
        return target != null;
    }

    /** {@code READY=1} with a status line: start-up (or a reload) is complete. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    /**
     * {@code RELOADING=1} with {@code MONOTONIC_USEC} (which {@code Type=notify-reload} needs): a reload
     * begins; follow with {@link #ready}.
     */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=reloading");
    }

    /** {@code STOPPING=1}: a stop begins. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    /** {@code STATUS=...} alone. */
    public void status(String status) {
        send("STATUS=" + status);
    }

    private void send(String message) {
        if (target == null) {
            return;
        }
        try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
            // channel.send: a DatagramPacket addressed to a junixsocket address fails as "unresolved"
            channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), target);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot notify systemd at {}: {}", socketName, e.toString());
        }
    }
}
