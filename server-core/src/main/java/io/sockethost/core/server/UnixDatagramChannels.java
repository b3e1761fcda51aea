package io.sockethost.core.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.sockethost.core.config.ServerConfig;

/**
 * Unix datagram sockets through junixsocket, because {@code DatagramChannel.open(UNIX)} throws on every
 * JDK. Handlers see senders as {@link UnixDomainSocketAddress} so that no junixsocket type reaches a plugin;
 * a sender that did not bind has an empty path and cannot be replied to (the reply is dropped by the kernel).
 */
final class UnixDatagramChannels implements DatagramServer.DatagramChannelFactory {

    @Override
    public DatagramChannel open(ServerConfig config) throws IOException {
        return AFUNIXDatagramChannel.open();
    }

    @Override
    public SocketAddress bindAddress(ServerConfig config) throws IOException {
        return AFUNIXSocketAddress.of(((UnixDomainSocketAddress) config.address()).getPath());
    }

    @Override
    public SocketAddress clientAddress(SocketAddress received) {
        if (received instanceof AFUNIXSocketAddress unix) {
            try {
                return UnixDomainSocketAddress.of(unix.hasFilename() ? unix.getFile().toPath() : Path.of(""));
            } catch (java.io.FileNotFoundException e) {
                return UnixDomainSocketAddress.of(""); // abstract-namespace sender: no file path to show
            }
        }
        return received;
    }
}
