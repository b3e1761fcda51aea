package io.sockethost.core.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.sockethost.api.Transport;

/** Parses descriptor addresses: {@code host:port} / {@code [v6]:port} for IP transports, a path for Unix ones. */
public final class Addresses {
    /** sun_path holds 108 bytes including the terminating NUL on Linux. */
    static final int MAX_UNIX_PATH_BYTES = 107;

    private Addresses() {
    }

    /**
     * @param baseDir relative Unix socket paths are resolved against it
     * @throws IllegalArgumentException with a message that says what is allowed
     */
    public static SocketAddress parse(Transport transport, String text, Path baseDir) {
        if (transport.isUnix()) {
            if (text.isBlank() || text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("\"" + text + "\" is not a socket file path; allowed: a file path, "
                        + "e.g. run/echo.sock (relative paths are resolved against " + baseDir + ")");
            }
            Path path = baseDir.resolve(text).toAbsolutePath().normalize();
            if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_PATH_BYTES) {
                throw new IllegalArgumentException("socket path " + path + " is longer than the " + MAX_UNIX_PATH_BYTES
                        + " bytes a Unix socket address can hold; choose a shorter path");
            }
            return UnixDomainSocketAddress.of(path);
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw invalidIp(transport, text);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw invalidIp(transport, text);
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalidIp(transport, text);
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw new IllegalArgumentException("port " + portNumber + " in \"" + text + "\" is out of range; allowed: 0-65535 "
                    + "(0 picks a free port)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host \"" + host + "\" in \"" + text + "\" does not resolve; use an IP literal "
                    + "or a resolvable name");
        }
    }

    private static IllegalArgumentException invalidIp(Transport transport, String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a " + transport + " address; allowed: host:port, "
                + "e.g. 127.0.0.1:8000, 0.0.0.0:8000, localhost:8000, [::1]:8000 (port 0 picks a free port)");
    }

    /** How an address reads in logs and in {@code sockethost config}. */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return String.valueOf(address);
    }
}
