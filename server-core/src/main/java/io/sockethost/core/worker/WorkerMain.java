package io.sockethost.core.worker;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.assembly.CatalogParts;
import io.sockethost.core.assembly.ServerAssembly;
import io.sockethost.core.config.Addresses;
import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.config.StrictJson;
import io.sockethost.core.forking.RelayProtocol;
import io.sockethost.core.forking.WorkerSpec;
import io.sockethost.core.plugin.HostVersion;
import io.sockethost.core.plugin.PluginCatalog;
import io.sockethost.core.server.DatagramServer;
import io.sockethost.core.server.SocketServer;
import io.sockethost.core.server.StreamServer;

/**
 * The main class of a forking server's worker process, started by the host with the host's class path.
 *
 * <p>Reads its {@link WorkerSpec} from the first line of stdin, loads the one plugin jar it serves and builds
 * the server through the same assembly as the host (same handler lifecycle, same hooks; the plugin's server
 * lifecycle runs once per worker process), then serves one request at a time: it connects to the host's
 * relay socket and says it is ready,
 * the host answers with a client's address when it has a request for it, and either the client's socket
 * comes with that answer (handed over: the worker serves it, then closes the relay connection), or the rest
 * of the relay connection is the client's (relayed), or, on a datagram server, the datagram follows, and
 * the worker answers with the handler's reply for the host to send. After {@code requestsPerChild} requests it says it is
 * retiring and exits.
 *
 * <p>It exits as soon as its stdin ends: that is how the host stops it, and how it notices that the host
 * died (even of SIGKILL), so no worker outlives its host. It exits with {@link System#exit}'s status when a
 * handler calls that (the host logs it), with status 3 on an {@link OutOfMemoryError}
 * ({@code -XX:+ExitOnOutOfMemoryError}), and with {@value #BAD_START} if it cannot start.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);
    /** The status of a worker that could not read its configuration or load its plugin. */
    static final int BAD_START = 2;
    /** Room for the control message of one descriptor (the kernel needs 24 bytes on 64-bit Linux). */
    private static final int ANCILLARY_BYTES = 64;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        WorkerSpec spec;
        try {
            String line = stdin.readLine();
            if (line == null) {
                log.error("no configuration on stdin; worker processes are started by the sockethost host");
                exit(BAD_START);
                return;
            }
            spec = StrictJson.MAPPER.readValue(line, WorkerSpec.class);
        } catch (IOException e) {
            log.error("cannot read the worker configuration from stdin", e);
            exit(BAD_START);
            return;
        }
        ignoreInterrupt();
        Runtime.getRuntime().addShutdownHook(new Thread(WorkerMain::reportExit, "sockethost-worker-exit"));
        PluginCatalog catalog = PluginCatalog.loadJar(Path.of(spec.pluginJar()), HostVersion.release());
        if (!catalog.failures().isEmpty()) {
            log.error("server {}: cannot load plugin {}: {}", spec.serverName(), spec.pluginJar(),
                    catalog.failures().get(0).reason());
            exit(BAD_START);
            return;
        }
        SocketServer server;
        try {
            server = build(spec, catalog);
        } catch (ConfigException | IOException | RuntimeException e) {
            log.error("server {}: cannot start: {}", spec.serverName(), e.getMessage(), e);
            exit(BAD_START);
            return;
        }
        watchHost(stdin, Path.of(spec.relaySocket()), server);
        try {
            serve(spec, server);
        } catch (IOException e) {
            // The host closed the relay socket: it is stopping, or gone.
            log.debug("server {}: relay closed: {}", spec.serverName(), e.toString());
        }
        stopAndExit(server, 0);
    }

    /**
     * The server as the host built it, in the worker's role: the configuration is the host's effective one,
     * resolved by the same rules (the host has checked the plugin's classes and settings already).
     */
    private static SocketServer build(WorkerSpec spec, PluginCatalog catalog) throws ConfigException, IOException {
        ObjectNode declaration = spec.server().deepCopy();
        declaration.put("name", spec.serverName());
        Path home = Path.of(spec.home());
        ServerConfig config = new ServerConfigResolver(home, Set.of(spec.pluginId()), ServerConfigResolver.PluginCheck.NONE)
                .resolve(List.of(new PluginServers(spec.pluginId(), "the host's configuration of " + spec.serverName(),
                        StrictJson.MAPPER.createArrayNode().add(declaration))), List.of())
                .get(0);
        SocketServer server = ServerAssembly.assembleForWorker(config, new CatalogParts(catalog).partsFor(config));
        server.startUnbound(Addresses.parse(config.transport(), spec.boundAddress(), home));
        return server;
    }

    /** Ends the plugin's lifecycle for this worker, then the process. */
    private static void stopAndExit(SocketServer server, int status) {
        try {
            server.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.error("server {}: stopping failed", server.config().name(), e);
        }
        exit(status);
    }

    private static void serve(WorkerSpec spec, SocketServer server) throws IOException {
        int requestsPerChild = server.config().concurrency().requestsPerChild();
        for (int served = 0; requestsPerChild == 0 || served < requestsPerChild; served++) {
            SocketChannel channel = connect(spec);
            SocketAddress client;
            try {
                RelayProtocol.writeHello(channel, RelayProtocol.READY, spec.workerId());
                client = RelayProtocol.readClient(channel);
            } catch (EOFException e) {
                channel.close();
                return; // the host let this worker go without a request: it is stopping
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            if (server instanceof DatagramServer datagrams) {
                try (channel) {
                    answer(channel, client, datagrams);
                }
            } else if (spec.handOff()) {
                try (channel) {
                    serveHandedOver((AFUNIXSocketChannel) channel, client, (StreamServer) server, spec.serverName());
                }
            } else {
                ((StreamServer) server).serveConnection(channel, client);
            }
        }
        try (SocketChannel channel = connect(spec)) {
            RelayProtocol.writeHello(channel, RelayProtocol.RETIRING, spec.workerId());
        }
    }

    /**
     * Serves the datagram that follows the request header and answers with the handler's reply, which the
     * host sends from the server's socket. A relay connection that breaks here means the host is stopping.
     */
    private static void answer(SocketChannel relay, SocketAddress client, DatagramServer server) throws IOException {
        ByteBuffer payload = RelayProtocol.readDatagram(relay);
        RelayProtocol.writeReply(relay, server.serveReceived(payload, client));
    }

    /** A new connection to the host's relay socket: junixsocket's when descriptors come over it, else the JDK's. */
    private static SocketChannel connect(WorkerSpec spec) throws IOException {
        if (!spec.handOff()) {
            return SocketChannel.open(UnixDomainSocketAddress.of(spec.relaySocket()));
        }
        AFUNIXSocketChannel channel = AFUNIXSocketChannel.open();
        try {
            channel.setAncillaryReceiveBufferSize(ANCILLARY_BYTES);
            channel.connect(AFUNIXSocketAddress.of(Path.of(spec.relaySocket())));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Serves the client's socket, which came with the request header; closing the relay afterwards says done. */
    private static void serveHandedOver(AFUNIXSocketChannel relay, SocketAddress client, StreamServer server,
            String serverName) throws IOException {
        FileDescriptor[] received = relay.getReceivedFileDescriptors();
        if (received.length != 1) {
            for (FileDescriptor fd : received) {
                FileDescriptorCast.using(fd).as(java.io.FileInputStream.class).close();
            }
            log.error("server {}: the host handed over {} sockets with the request of client {}, expected 1; "
                    + "closing it", serverName, received.length, Addresses.format(client));
            return;
        }
        Socket socket = FileDescriptorCast.using(received[0]).as(Socket.class);
        server.serveConnection(socket.getChannel(), client);
    }

    /**
     * Ctrl-C in a terminal signals the whole foreground process group, workers included; it is meant for the
     * host, which then drains the running requests and stops its workers itself. A worker dying of it would
     * cut its request off while the host says it waits for running ones. (SIGTERM keeps its default: the
     * launcher's service unit sends it to the host alone, and an operator may mean a worker.)
     */
    private static void ignoreInterrupt() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("INT"),
                    handler.getField("SIG_IGN").get(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("cannot ignore SIGINT: {}", e.toString()); // a Ctrl-C then ends the worker at once
        }
    }

    /** Exits when stdin ends: the host stops its workers by closing it, and a dead host closes it too. */
    private static void watchHost(BufferedReader stdin, Path relaySocket, SocketServer server) {
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // the host sends nothing after the configuration; keep draining until it closes
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of input
            }
            // A host killed with SIGKILL cannot remove its relay socket; its workers can.
            try {
                if (Files.deleteIfExists(relaySocket)) {
                    Files.deleteIfExists(relaySocket.getParent());
                }
            } catch (IOException | RuntimeException e) {
                // the host removes them itself when it is alive
            }
            stopAndExit(server, 0);
        }, "sockethost-worker-lifeline");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * A worker ends itself with {@code halt}, so shutdown hooks run only when a handler calls
     * {@code System.exit} (or a signal arrives): say where from, for the host's log.
     */
    private static void reportExit() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] stack = e.getValue();
            boolean exiting = Arrays.stream(stack).anyMatch(f -> f.getClassName().equals("java.lang.Runtime")
                    && f.getMethodName().equals("exit"));
            if (exiting) {
                StackTraceElement caller = Arrays.stream(stack)
                        .filter(f -> !f.getClassName().startsWith("java.")).findFirst().orElse(null);
                log.warn("System.exit called {} on thread {}", caller == null ? "" : "at " + caller, e.getKey().getName());
                return;
            }
        }
        // INFO: a signal to the host's whole process group (Ctrl-C in a terminal) reaches every worker too, and
        // a signal the host did not expect is reported by the host itself, at WARN, when it reaps the worker.
        log.info("worker stopping on a signal");
    }

    /** Ends the process without running shutdown hooks, flushing what it printed first. */
    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
