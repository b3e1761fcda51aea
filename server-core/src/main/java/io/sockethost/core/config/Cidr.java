package io.sockethost.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block of one.
 * IPv4-mapped IPv6 clients ({@code ::ffff:a.b.c.d}, as a dual-stack socket sees IPv4 peers) match IPv4
 * blocks: the JDK presents them as {@link java.net.Inet4Address} (accepted and received peers as well as
 * {@link InetAddress#getByAddress(byte[])}), so they arrive here as the IPv4 address they carry. Immutable.
 */
public record Cidr(byte[] network, int prefixLength, String text) {

    /**
     * @throws IllegalArgumentException naming the accepted forms, if {@code text} is not a literal address
     *     with an optional prefix length in range
     */
    public static Cidr parse(String text) {
        String addressPart = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addressPart = text.substring(0, slash);
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
        }
        if (!looksLiteral(addressPart)) {
            throw invalid(text); // literal addresses only: no DNS lookups while reading configuration
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addressPart).getAddress();
        } catch (UnknownHostException e) {
            throw invalid(text);
        }
        int bits = bytes.length * 8;
        if (prefix == -1) {
            prefix = bits;
        }
        if (prefix < 0 || prefix > bits) {
            throw invalid(text);
        }
        return new Cidr(bytes, prefix, text);
    }

    /**
     * Whether {@link InetAddress#getByName} reads the text as a literal address or refuses it, and never
     * looks it up in DNS: digits and dots for IPv4; for IPv6 a colon and a first character that is a hex
     * digit, a colon or a bracket (the JDK sends {@code g:1}, say, to the resolver).
     */
    static boolean looksLiteral(String address) {
        if (address.isEmpty()) {
            return false;
        }
        if (!address.contains(":")) {
            return address.matches("[0-9.]+");
        }
        char first = address.charAt(0);
        return Character.digit(first, 16) != -1 || first == ':' || first == '[';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not an address block; allowed: an IPv4 or IPv6 "
                + "literal with an optional prefix length, e.g. 10.0.0.0/8, 127.0.0.1, ::1/128");
    }

    public boolean matches(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
