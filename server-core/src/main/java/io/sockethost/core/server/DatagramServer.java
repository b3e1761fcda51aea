package io.sockethost.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.ServerHooks;
import io.sockethost.core.concurrency.RequestDispatcher;
import io.sockethost.core.config.ServerConfig;

/**
 * Python's {@code UDPServer} and {@code UnixDatagramServer}: receives datagrams (up to
 * {@code maxPacketSize} bytes; longer ones are truncated) and serves each with a new
 * {@link DatagramHandler}, then sends the handler's reply to the sender.
 */
public final class DatagramServer extends SocketServer {
    private static final Logger log = LoggerFactory.getLogger(DatagramServer.class);
    private static final int RECEIVE_BATCH = 64;

    private final Supplier<? extends DatagramHandler> handlers;
    private final DatagramChannelFactory channels;
    private final UnixSocketFile socketFile;
    private final ByteBuffer receiveBuffer;
    private DatagramChannel channel;

    /** Opens the channel for a transport; Unix datagram channels come from a library the JDK lacks. */
    public interface DatagramChannelFactory {
        DatagramChannel open(ServerConfig config) throws IOException;

        /** @return the address to bind, in the form the channel accepts */
        default SocketAddress bindAddress(ServerConfig config) throws IOException {
            return config.address();
        }

        /** @return the sender as handlers see it (a JDK address type) */
        default SocketAddress clientAddress(SocketAddress received) {
            return received;
        }
    }

    /** The JDK's channels: UDP over IPv4 or IPv6. */
    public static final DatagramChannelFactory UDP = config -> DatagramChannel.open(
            ((InetSocketAddress) config.address()).getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);

    /** junixsocket's Unix datagram channel; senders appear to handlers as {@link java.net.UnixDomainSocketAddress}. */
    public static final DatagramChannelFactory UNIX = new UnixDatagramChannels();

    public DatagramServer(ServerConfig config, Supplier<? extends DatagramHandler> handlers, ServerHooks hooks,
                          RequestDispatcher dispatcher, DatagramChannelFactory channels) {
        super(config, hooks, dispatcher);
        if (config.transport().isStream()) {
            throw new IllegalArgumentException("server " + config.name() + ": " + config.transport() + " is not a datagram transport");
        }
        this.handlers = handlers;
        this.channels = channels;
        this.socketFile = config.transport().isUnix() ? new UnixSocketFile(config) : null;
        this.receiveBuffer = ByteBuffer.allocateDirect(config.maxPacketSize());
    }

    @Override
    SelectableChannel bind() throws IOException {
        if (socketFile != null) {
            socketFile.prepare();
        }
        channel = channels.open(config);
        if (socketFile == null) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, config.allowReuseAddress());
            if (config.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
        }
        channel.bind(channels.bindAddress(config));
        if (socketFile != null) {
            socketFile.applyMode();
        }
        channel.configureBlocking(false);
        return channel;
    }

    @Override
    SocketAddress localAddress() throws IOException {
        return channels.clientAddress(channel.getLocalAddress());
    }

    @Override
    void serveReady() throws IOException {
        for (int i = 0; i < RECEIVE_BATCH && !stopping(); i++) {
            if (!receiveOne()) {
                return;
            }
        }
    }

    @Override
    void serveOne() throws IOException {
        receiveOne();
    }

    private boolean receiveOne() throws IOException {
        receiveBuffer.clear();
        SocketAddress client;
        try {
            client = channel.receive(receiveBuffer);
        } catch (java.net.PortUnreachableException e) {
            return true; // an ICMP error for an earlier reply: nothing to serve
        }
        if (client == null) {
            return false;
        }
        receiveBuffer.flip();
        byte[] payload = new byte[receiveBuffer.remaining()];
        receiveBuffer.get(payload);
        SocketAddress shown = channels.clientAddress(client);
        if (!config.clientRules().permits(shown) || !lifecycle.verify(shown)) {
            log.debug("server {}: dropped datagram from refused client {}", config.name(), shown);
            return true;
        }
        dispatcher.dispatch(() -> serve(payload, client, shown), io.sockethost.core.concurrency.RunningRequest.NOTHING);
        return true;
    }

    /**
     * @param replyTo the sender as the channel knows it
     * @param client the sender as handlers see it
     */
    private void serve(byte[] payload, SocketAddress replyTo, SocketAddress client) {
        DatagramHandler handler;
        try {
            handler = handlers.get();
        } catch (RuntimeException | LinkageError e) {
            lifecycle.failed(client, "creating the handler", e);
            return;
        }
        DatagramExchange exchange = new DatagramExchange(payload, client, info);
        boolean ok = lifecycle.run(client, new RequestLifecycle.Steps() {
            @Override
            public void setup() throws Exception {
                handler.setup(exchange);
            }

            @Override
            public void handle() throws Exception {
                handler.handle(exchange);
            }

            @Override
            public void finish() throws Exception {
                handler.finish(exchange);
            }
        });
        ByteBuffer reply = exchange.replyOrNull();
        if (!ok || reply == null) {
            return;
        }
        try {
            if (channel.send(reply, replyTo) == 0) {
                log.debug("server {}: send buffer full, reply to {} dropped", config.name(), client);
            }
        } catch (IOException e) {
            lifecycle.failed(client, "sending the reply", e);
        }
    }

    @Override
    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("server {}: closing channel", config.name(), e);
            }
        }
    }

    @Override
    void afterClose() {
        if (socketFile != null) {
            socketFile.remove();
        }
    }
}
