package io.sockethost.core.activation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sockethost.api.Transport;

/**
 * What kind of socket a descriptor is, and its local address, read from Linux's {@code /proc} (the JDK has no
 * {@code getsockname} on a bare descriptor, and wrapping it in a channel would close it with the channel):
 * {@code /proc/self/fd/N} names the socket's inode, and {@code /proc/self/net/{tcp,tcp6,udp,udp6,unix}} list each
 * socket of this network namespace by inode (under {@code self/}, which systemd's {@code ProcSubset=pid} keeps). Stateless; reads {@code /proc} on every call.
 */
final class ProcSockets {
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    /** {@code __SO_ACCEPTCON} in {@code /proc/net/unix}'s Flags column: a listening stream socket. */
    private static final int ACCEPTCON = 0x10000;
    private static final String TCP_LISTEN = "0A";

    /** A socket of one of the four transports, bound to {@code address}. */
    record Described(Transport transport, SocketAddress address, boolean ipv6) {
    }

    private final Path proc;

    ProcSockets(Path proc) {
        this.proc = proc;
    }

    /** @return the socket under descriptor {@code fd} of this process, or null if it is none of ours */
    Described describe(int fd) throws IOException {
        String link;
        try {
            link = Files.readSymbolicLink(proc.resolve("self/fd/" + fd)).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("descriptor " + fd + " is not open");
        }
        Matcher m = SOCKET_LINK.matcher(link);
        if (!m.matches()) {
            throw new IOException("descriptor " + fd + " is not a socket (" + link + ")");
        }
        return table().get(m.group(1));
    }

    /** Every inet and unix socket of the namespace by inode. */
    private Map<String, Described> table() throws IOException {
        Map<String, Described> byInode = new HashMap<>();
        inet(byInode, "tcp", Transport.TCP, false);
        inet(byInode, "tcp6", Transport.TCP, true);
        inet(byInode, "udp", Transport.UDP, false);
        inet(byInode, "udp6", Transport.UDP, true);
        unix(byInode);
        return byInode;
    }

    private void inet(Map<String, Described> byInode, String file, Transport transport, boolean ipv6) throws IOException {
        Path table = proc.resolve("self/net/" + file);
        if (!Files.isReadable(table)) {
            return; // no IPv6 in this kernel, say
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || (transport == Transport.TCP && !f[3].equals(TCP_LISTEN))) {
                continue;
            }
            byInode.put(f[9], new Described(transport, inetAddress(f[1]), ipv6));
        }
    }

    /** {@code 0100007F:1F40}: the address as the kernel stores it (32-bit words in host order), then the port. */
    static InetSocketAddress inetAddress(String field) throws IOException {
        String[] parts = field.split(":");
        String hex = parts[0];
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                // little-endian words: the word's last hex pair is its first byte
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
    }

    private void unix(Map<String, Described> byInode) throws IOException {
        Path table = proc.resolve("self/net/unix");
        if (!Files.isReadable(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            // Num RefCount Protocol Flags Type St Inode [Path]
            String[] f = line.trim().split("\\s+", 8);
            if (f.length < 8 || f[7].startsWith("@")) {
                continue; // unbound, or in the abstract namespace, which no server declares
            }
            int type = Integer.parseInt(f[4], 16);
            int flags = Integer.parseInt(f[3], 16);
            Transport transport = type == 1 && (flags & ACCEPTCON) != 0 ? Transport.UNIX_STREAM
                    : type == 2 ? Transport.UNIX_DATAGRAM : null;
            if (transport != null) {
                byInode.put(f[6], new Described(transport, UnixDomainSocketAddress.of(f[7]), false));
            }
        }
    }
}
