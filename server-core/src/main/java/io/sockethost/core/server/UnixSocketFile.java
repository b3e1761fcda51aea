package io.sockethost.core.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.core.config.ServerConfig;

/**
 * The file a Unix socket server binds: a stale file left by a dead process is replaced, a live listener is
 * never stolen, the mode comes from the descriptor, and the file is removed on close (only by the server
 * that created it).
 */
final class UnixSocketFile {
    private static final Logger log = LoggerFactory.getLogger(UnixSocketFile.class);

    private final String serverName;
    private final Path path;
    private final String mode;
    private final boolean datagram;
    /** Set once this server bound the path: only then is the file ours to remove. */
    private volatile boolean owned;

    UnixSocketFile(ServerConfig config) {
        this.serverName = config.name();
        this.path = ((UnixDomainSocketAddress) config.address()).getPath();
        this.mode = config.socketMode();
        this.datagram = config.transport() == io.sockethost.api.Transport.UNIX_DATAGRAM;
    }

    /** Creates the parent folder and removes a stale socket file; refuses to replace a live one or a regular file. */
    void prepare() throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)) {
            throw new IOException(path + " exists and is not a socket; remove it or choose another path");
        }
        if (isLive()) {
            throw new IOException(path + " is in use by a running server; stop it or choose another path");
        }
        log.info("server {}: removing stale socket file {}", serverName, path);
        Files.deleteIfExists(path);
    }

    /** A connect succeeds only while some process still listens on (or receives at) the path. */
    private boolean isLive() {
        if (datagram) {
            try (org.newsclub.net.unix.AFUNIXDatagramChannel probe = org.newsclub.net.unix.AFUNIXDatagramChannel.open()) {
                probe.connect(org.newsclub.net.unix.AFUNIXSocketAddress.of(path));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void applyMode() throws IOException {
        owned = true;
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(toSymbolic(mode));
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            log.debug("server {}: file system does not support POSIX permissions", serverName);
        }
    }

    static String toSymbolic(String octal) {
        String digits = octal.substring(octal.length() - 3);
        StringBuilder sb = new StringBuilder();
        for (char c : digits.toCharArray()) {
            int d = c - '0';
            sb.append((d & 4) != 0 ? 'r' : '-').append((d & 2) != 0 ? 'w' : '-').append((d & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    void remove() {
        if (!owned) {
            return; // another server's live socket, or one we never created
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("server {}: cannot remove socket file {}: {}", serverName, path, e.toString());
        }
    }
}
