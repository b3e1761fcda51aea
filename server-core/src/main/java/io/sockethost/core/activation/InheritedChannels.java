package io.sockethost.core.activation;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Channels over descriptors this process inherited. TCP, UDP and Unix stream sockets become the JDK's own
 * channels, so everything after (selectors, socket options, handing connections to forking workers) works
 * as for a socket the host bound; that needs the JDK's internal constructors, open to this code only with
 * {@value #JVM_OPTION} (which {@code bin/sockethost} passes). Unix datagram sockets, which the JDK cannot
 * represent, become junixsocket's channel, as the host's own are. Stateless, thread-safe.
 */
final class InheritedChannels {
    /** The JVM option that opens the JDK's channel constructors to this code. */
    static final String JVM_OPTION = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private InheritedChannels() {
    }

    static ServerSocketChannel serverSocket(int fd, ProtocolFamily family) throws IOException {
        Constructor<?> c = constructor("sun.nio.ch.ServerSocketChannelImpl", SelectorProvider.class, ProtocolFamily.class,
                FileDescriptor.class, boolean.class);
        return (ServerSocketChannel) create(c, SelectorProvider.provider(), family, descriptor(fd), true);
    }

    static DatagramChannel datagram(int fd, boolean ipv6) throws IOException {
        Constructor<?> c = constructor("sun.nio.ch.DatagramChannelImpl", SelectorProvider.class, FileDescriptor.class);
        DatagramChannel channel = (DatagramChannel) create(c, SelectorProvider.provider(), descriptor(fd));
        if (!ipv6) {
            // The constructor assumes an IPv6 socket wherever IPv6 is available, and would then send every reply
            // to an IPv4-mapped IPv6 address, which an IPv4 socket refuses ("Address family not supported").
            try {
                Field family = channel.getClass().getDeclaredField("family");
                family.setAccessible(true);
                family.set(channel, StandardProtocolFamily.INET);
            } catch (ReflectiveOperationException | RuntimeException e) {
                channel.close();
                throw unavailable(e);
            }
        }
        return channel;
    }

    static DatagramChannel unixDatagram(int fd) throws IOException {
        AFUNIXDatagramChannel channel = FileDescriptorCast.unsafeUsing(fd).as(AFUNIXDatagramChannel.class);
        channel.setDeleteOnClose(false); // the socket file is systemd's: it must outlive this process
        return channel;
    }

    static ProtocolFamily family(boolean unix, boolean ipv6) {
        return unix ? StandardProtocolFamily.UNIX : ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static FileDescriptor descriptor(int fd) throws IOException {
        try {
            Method newFd = Class.forName("sun.nio.ch.IOUtil").getMethod("newFD", int.class);
            return (FileDescriptor) newFd.invoke(null, fd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static Constructor<?> constructor(String className, Class<?>... parameters) throws IOException {
        try {
            Constructor<?> c = Class.forName(className).getDeclaredConstructor(parameters);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static Object create(Constructor<?> c, Object... args) throws IOException {
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static IOException unavailable(Exception e) {
        return new IOException("this JVM does not let the host take over an inherited socket (" + e
                + "); start it with " + JVM_OPTION + ", as bin/sockethost does", e);
    }
}
