package io.sockethost.core.forking;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SocketChannel;

import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;

/**
 * The operating system's descriptor of a connection the JDK accepted, so that a forking server can pass the
 * connection itself to a worker process (SCM_RIGHTS) instead of relaying its bytes.
 *
 * <p>The JDK has no public way to reach a channel's descriptor. Its channels implement
 * {@code sun.nio.ch.SelChImpl#getFD()}, which may be called only when the JVM runs with
 * {@value #JVM_OPTION}; {@code bin/sockethost} passes it. Without it (a host embedded in another program,
 * the test kit) {@link #available()} is false and forking servers relay instead. Sending needs
 * junixsocket's native library, which the JDK's Unix channels do not replace. Stateless, thread-safe.
 */
final class SocketDescriptors {
    /** The JVM option that lets the host reach the descriptor of an accepted connection. */
    static final String JVM_OPTION = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";

    private static final String INTERNAL_PACKAGE = "sun.nio.ch";
    /** {@code SelChImpl.getFD()}, or {@code null} when the JVM does not let this code call it. */
    private static final MethodHandle GET_FD = lookUp();

    private SocketDescriptors() {
    }

    /** @return whether {@link #of} works and descriptors can be sent to workers in this JVM */
    static boolean available() {
        return GET_FD != null;
    }

    /**
     * @return the descriptor under {@code channel}; closing the channel closes it
     * @throws IllegalStateException if {@link #available()} is false
     */
    static FileDescriptor of(SocketChannel channel) throws IOException {
        if (GET_FD == null) {
            throw new IllegalStateException("socket descriptors are not accessible; run the JVM with " + JVM_OPTION);
        }
        try {
            return (FileDescriptor) GET_FD.invoke(channel);
        } catch (ClassCastException e) {
            throw new IOException("not a JDK socket channel: " + channel.getClass().getName(), e);
        } catch (Throwable e) {
            throw new IOException("cannot read the descriptor of " + channel, e);
        }
    }

    private static MethodHandle lookUp() {
        if (!Object.class.getModule().isExported(INTERNAL_PACKAGE, SocketDescriptors.class.getModule())) {
            return null;
        }
        try {
            if (!AFSocket.isSupported() || !AFSocket.supports(AFSocketCapability.CAPABILITY_FILE_DESCRIPTORS)) {
                return null;
            }
            Class<?> selectable = Class.forName(INTERNAL_PACKAGE + ".SelChImpl");
            return MethodHandles.lookup().findVirtual(selectable, "getFD", MethodType.methodType(FileDescriptor.class))
                    .asType(MethodType.methodType(FileDescriptor.class, SocketChannel.class));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // another JDK's internals: relay instead
        }
    }
}
