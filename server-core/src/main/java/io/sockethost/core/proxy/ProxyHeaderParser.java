package io.sockethost.core.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Reads HAProxy's PROXY protocol header, v1 ({@code PROXY TCP4 src dst sport dport\r\n}) and v2 (a 16-byte
 * binary head, then addresses and TLVs), as {@code haproxy/doc/proxy-protocol.txt} defines them; no
 * auto-detection of headerless connections. Stateless and thread-safe.
 *
 * <p>It never asks for a byte past the end of the header: {@link #bytesNeeded} gives how many more bytes are
 * certainly still part of it, so a reader that reads exactly that many leaves whatever the client sent after
 * the header (its first request, a TLS handshake) in the socket, for the handler, or for the worker process a
 * forking server hands the socket to. A v1 line has no length field; the count then follows from the fields
 * read so far and the shortest form each remaining field can take, which takes a handful of reads.
 */
public final class ProxyHeaderParser {
    /** The longest v1 header, CRLF included. */
    public static final int V1_MAX = 107;
    /**
     * The most bytes of addresses and TLVs a v2 header may declare. The specification allows 65535; real
     * senders stay far below (the addresses take at most 216 bytes, HAProxy's and the cloud load balancers'
     * TLVs a few hundred), and a bound keeps a pending header's buffer small.
     */
    public static final int V2_MAX_PAYLOAD = 4096;
    /** No header is shorter: {@code PROXY UNKNOWN\r\n}; a v2 header has at least 16 bytes. */
    static final int SHORTEST = 15;
    private static final int V2_HEAD = 16;
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final String TCP4 = "TCP4";
    private static final String TCP6 = "TCP6";
    private static final String UNKNOWN = "UNKNOWN";
    /** The shortest text of each v1 address field, for {@link #bytesNeeded}: an IPv4 and an IPv6 literal, a port. */
    private static final int[] TCP4_FIELDS = {7, 7, 1, 1};
    private static final int[] TCP6_FIELDS = {2, 2, 1, 1};
    private static final int INET_ADDRESSES = 12;
    private static final int INET6_ADDRESSES = 36;
    private static final int UNIX_ADDRESSES = 216;
    private static final int UNIX_PATH = 108;

    private ProxyHeaderParser() {
    }

    /**
     * How many more bytes the header certainly has, given its first {@code length} bytes.
     *
     * @param start the connection's first bytes (at least {@code length} of them)
     * @return 0 when {@code start[0, length)} is a whole header, else at least 1, never more than the header
     *     can still have (a reader may read that many without reading past it)
     * @throws ProxyHeaderException as soon as the bytes cannot begin a valid header
     */
    public static int bytesNeeded(byte[] start, int length) throws ProxyHeaderException {
        if (length == 0) {
            return SHORTEST;
        }
        if (start[0] == V2_SIGNATURE[0]) {
            return v2BytesNeeded(start, length);
        }
        if (start[0] == V1_PREFIX[0]) {
            return v1BytesNeeded(start, length);
        }
        throw new ProxyHeaderException("the connection does not begin with a PROXY protocol header (neither the v1 "
                + "\"PROXY \" nor the v2 signature)");
    }

    /**
     * Parses a whole header.
     *
     * @param header exactly the header's bytes, as {@link #bytesNeeded} returned 0 for
     * @throws ProxyHeaderException if they are not one valid header
     */
    public static ProxyHeader parse(byte[] header, int length) throws ProxyHeaderException {
        if (bytesNeeded(header, length) != 0) {
            throw new ProxyHeaderException("the PROXY protocol header is incomplete after " + length + " bytes");
        }
        return header[0] == V2_SIGNATURE[0] ? parseV2(header, length) : parseV1(header, length);
    }

    // ---- v2

    private static int v2BytesNeeded(byte[] b, int n) throws ProxyHeaderException {
        for (int i = 0; i < Math.min(n, V2_SIGNATURE.length); i++) {
            if (b[i] != V2_SIGNATURE[i]) {
                throw new ProxyHeaderException("the connection does not begin with the PROXY protocol v2 signature");
            }
        }
        if (n < V2_HEAD) {
            return V2_HEAD - n;
        }
        int declared = ((b[14] & 0xff) << 8) | (b[15] & 0xff);
        if (declared > V2_MAX_PAYLOAD) {
            throw new ProxyHeaderException("the PROXY protocol v2 header declares " + declared + " bytes after its head; "
                    + "at most " + V2_MAX_PAYLOAD + " are accepted");
        }
        int total = V2_HEAD + declared;
        if (n > total) {
            throw new IllegalArgumentException(n + " bytes given for a header of " + total);
        }
        return total - n;
    }

    private static ProxyHeader parseV2(byte[] b, int n) throws ProxyHeaderException {
        int version = (b[12] & 0xf0) >> 4;
        int command = b[12] & 0x0f;
        if (version != 2) {
            throw new ProxyHeaderException("PROXY protocol v2 header with version " + version + "; only 2 is defined");
        }
        if (command == 0) {
            return new ProxyHeader.Local(2, n); // the family and addresses are ignored, as the specification says
        }
        if (command != 1) {
            throw new ProxyHeaderException("PROXY protocol v2 header with command " + command + "; allowed: 0 (LOCAL), 1 (PROXY)");
        }
        int familyAndTransport = b[13] & 0xff;
        int addresses = switch (familyAndTransport) {
            case 0x00 -> 0;
            case 0x11, 0x12 -> INET_ADDRESSES;
            case 0x21, 0x22 -> INET6_ADDRESSES;
            case 0x31, 0x32 -> UNIX_ADDRESSES;
            default -> throw new ProxyHeaderException(String.format("PROXY protocol v2 header with address family and "
                    + "transport 0x%02x; allowed: 0x00, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32", familyAndTransport));
        };
        if (addresses == 0) {
            return new ProxyHeader.Unknown(2, n); // an unknown protocol: its block is opaque, the real endpoints stand
        }
        int payload = n - V2_HEAD;
        if (payload < addresses) {
            throw new ProxyHeaderException("PROXY protocol v2 header of " + payload + " bytes after its head is too short "
                    + "for its addresses (" + addresses + " bytes)");
        }
        checkTlvs(b, V2_HEAD + addresses, n);
        int a = V2_HEAD;
        return switch (familyAndTransport >> 4) {
            case 1 -> new ProxyHeader.Proxied(2, n, inet(b, a, 4, a + 8), inet(b, a + 4, 4, a + 10));
            case 2 -> new ProxyHeader.Proxied(2, n, inet(b, a, 16, a + 32), inet(b, a + 16, 16, a + 34));
            default -> new ProxyHeader.Proxied(2, n, unix(b, a), unix(b, a + UNIX_PATH));
        };
    }

    /** TLVs (type, 16-bit length, value) are skipped, but must fit the header exactly. */
    private static void checkTlvs(byte[] b, int from, int end) throws ProxyHeaderException {
        int at = from;
        while (at < end) {
            if (end - at < 3) {
                throw new ProxyHeaderException("PROXY protocol v2 header ends inside a TLV's type and length");
            }
            int length = ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
            at += 3 + length;
            if (at > end) {
                throw new ProxyHeaderException("PROXY protocol v2 header has a TLV of " + length + " bytes that runs "
                        + "past its end");
            }
        }
    }

    private static InetSocketAddress inet(byte[] b, int at, int size, int portAt) {
        byte[] raw = java.util.Arrays.copyOfRange(b, at, at + size);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), ((b[portAt] & 0xff) << 8) | (b[portAt + 1] & 0xff));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * A NUL-padded path; an abstract one (leading NUL) has no path and is given as the empty one. A path this
     * JVM cannot represent (bytes outside its file-name encoding, say under {@code LANG=C}) is a bad header,
     * never an unchecked exception on the accept loop.
     */
    private static UnixDomainSocketAddress unix(byte[] b, int at) throws ProxyHeaderException {
        int end = at;
        while (end < at + UNIX_PATH && b[end] != 0) {
            end++;
        }
        try {
            return UnixDomainSocketAddress.of(new String(b, at, end - at, StandardCharsets.UTF_8));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ProxyHeaderException("the v2 header's UNIX address is not a path this host can name: " + e.getReason());
        }
    }

    // ---- v1

    private static int v1BytesNeeded(byte[] b, int n) throws ProxyHeaderException {
        for (int i = 0; i < Math.min(n, V1_PREFIX.length); i++) {
            if (b[i] != V1_PREFIX[i]) {
                throw new ProxyHeaderException("the connection does not begin with a PROXY protocol header (neither the "
                        + "v1 \"PROXY \" nor the v2 signature)");
            }
        }
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                if (i == 0 || b[i - 1] != '\r') {
                    throw new ProxyHeaderException("PROXY protocol v1 header with a line feed that does not follow a "
                            + "carriage return; only CRLF ends the header");
                }
                if (i != n - 1) {
                    // a valid prefix never lets a reader past the CRLF (see v1ShortestTotal), so this one was not
                    throw new ProxyHeaderException("PROXY protocol v1 header whose fields do not fit its protocol");
                }
                return 0;
            }
            if (b[i] == '\r' && i < n - 1 && b[i + 1] != '\n') {
                throw new ProxyHeaderException("PROXY protocol v1 header with a carriage return that no line feed "
                        + "follows; only CRLF ends the header");
            }
        }
        if (n >= V1_MAX) {
            throw new ProxyHeaderException("PROXY protocol v1 header without CRLF in its first " + V1_MAX
                    + " bytes, the most a v1 header may have");
        }
        if (n < SHORTEST) {
            return SHORTEST - n;
        }
        if (b[n - 1] == '\r') {
            return 1;
        }
        return Math.max(1, Math.min(v1ShortestTotal(b, n), V1_MAX) - n);
    }

    /** The length of the shortest valid v1 header that begins with {@code b[0, n)} (no CR or LF in it). */
    private static int v1ShortestTotal(byte[] b, int n) throws ProxyHeaderException {
        String text = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        String[] fields = text.split(" ", -1); // "PROXY", the protocol, then what came of the addresses
        String protocol = fields[1];
        if (fields.length == 2) { // the protocol itself is still arriving
            int shortest = Integer.MAX_VALUE;
            if (UNKNOWN.startsWith(protocol)) {
                shortest = V1_PREFIX.length + UNKNOWN.length() + 2;
            }
            if (TCP4.startsWith(protocol)) {
                shortest = Math.min(shortest, V1_PREFIX.length + TCP4.length() + shortestAfter(TCP4_FIELDS, -1, 0));
            }
            if (TCP6.startsWith(protocol)) {
                shortest = Math.min(shortest, V1_PREFIX.length + TCP6.length() + shortestAfter(TCP6_FIELDS, -1, 0));
            }
            if (shortest == Integer.MAX_VALUE) {
                throw unknownProtocol();
            }
            return shortest;
        }
        if (protocol.equals(UNKNOWN)) {
            return n + 2; // anything may follow UNKNOWN up to the CRLF
        }
        int[] shortestFields = switch (protocol) {
            case TCP4 -> TCP4_FIELDS;
            case TCP6 -> TCP6_FIELDS;
            default -> throw unknownProtocol();
        };
        for (int i = V1_PREFIX.length + protocol.length(); i < n; i++) {
            int c = b[i] & 0xff;
            if (!(c == ' ' || c == '.' || c == ':' || (c < 128 && Character.digit(c, 16) >= 0))) {
                throw new ProxyHeaderException(String.format("PROXY protocol v1 %s header with byte 0x%02x among its "
                        + "addresses and ports; allowed: digits, hex digits, '.', ':' and single spaces", protocol, c));
            }
        }
        int current = fields.length - 3; // index, in shortestFields, of the field still arriving
        if (current >= shortestFields.length) {
            throw new ProxyHeaderException("PROXY protocol v1 header with more than four fields after the protocol");
        }
        return n + shortestAfter(shortestFields, current, fields[fields.length - 1].length());
    }

    /**
     * The fewest bytes that can still follow: the rest of field {@code current} (of which {@code have} bytes
     * came), each later field with its space, and the CRLF. {@code current} -1: the protocol is still arriving.
     */
    private static int shortestAfter(int[] shortestFields, int current, int have) {
        int rest = current < 0 ? 0 : Math.max(0, shortestFields[current] - have);
        for (int i = current + 1; i < shortestFields.length; i++) {
            rest += 1 + shortestFields[i];
        }
        return rest + 2;
    }

    private static ProxyHeaderException unknownProtocol() {
        return new ProxyHeaderException("PROXY protocol v1 header with an unknown protocol; allowed: TCP4, TCP6, UNKNOWN");
    }

    private static ProxyHeader parseV1(byte[] b, int n) throws ProxyHeaderException {
        String line = new String(b, 0, n - 2, StandardCharsets.ISO_8859_1);
        String[] fields = line.split(" ", -1);
        if (fields[1].equals(UNKNOWN)) {
            return new ProxyHeader.Unknown(1, n);
        }
        boolean v6 = fields[1].equals(TCP6);
        if (!v6 && !fields[1].equals(TCP4)) {
            throw unknownProtocol();
        }
        if (fields.length != 6) {
            throw new ProxyHeaderException("PROXY protocol v1 header with " + (fields.length - 2) + " fields after the "
                    + "protocol; expected 4, each after a single space: source, destination, source port, destination port");
        }
        InetAddress source = v6 ? ipv6(fields[2], "source") : ipv4(fields[2], "source");
        InetAddress destination = v6 ? ipv6(fields[3], "destination") : ipv4(fields[3], "destination");
        return new ProxyHeader.Proxied(1, n, new InetSocketAddress(source, port(fields[4], "source")),
                new InetSocketAddress(destination, port(fields[5], "destination")));
    }

    /** Dotted decimal, four parts of 0 to 255 without leading zeros, as {@code inet_pton} accepts them. */
    private static InetAddress ipv4(String text, String which) throws ProxyHeaderException {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw badAddress(which, "TCP4");
        }
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = decimal(parts[i], 3);
            if (value < 0 || value > 255) {
                throw badAddress(which, "TCP4");
            }
            raw[i] = (byte) value;
        }
        return byAddress(raw);
    }

    /**
     * An IPv6 literal. The JDK parses it, but only text it takes as a literal reaches it (hex digits, colons
     * and dots, starting with a hex digit or colon, and a colon in it): anything else it would look up in DNS.
     */
    private static InetAddress ipv6(String text, String which) throws ProxyHeaderException {
        if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0
                || !(text.charAt(0) == ':' || Character.digit(text.charAt(0), 16) >= 0)) {
            throw badAddress(which, "TCP6");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || (c < 128 && Character.digit(c, 16) >= 0))) {
                throw badAddress(which, "TCP6");
            }
        }
        try {
            return byAddress(InetAddress.getByName(text).getAddress()); // an IPv4-mapped one comes back as IPv4
        } catch (UnknownHostException e) {
            throw badAddress(which, "TCP6");
        }
    }

    private static InetAddress byAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw); // no host name: nothing ever resolves it
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static int port(String text, String which) throws ProxyHeaderException {
        int value = decimal(text, 5);
        if (value < 0 || value > 65535) {
            throw new ProxyHeaderException("PROXY protocol v1 header with a " + which + " port that is not a number from 0 "
                    + "to 65535 without leading zeros");
        }
        return value;
    }

    /** @return the value of 1 to {@code maxDigits} ASCII digits without a leading zero, else -1 */
    private static int decimal(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static ProxyHeaderException badAddress(String which, String protocol) {
        return new ProxyHeaderException("PROXY protocol v1 " + protocol + " header with a " + which + " address that is not "
                + (protocol.equals(TCP4) ? "a dotted-decimal IPv4 address" : "an IPv6 address"));
    }
}
