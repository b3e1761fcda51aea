package io.sockethost.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HAProxy's PROXY protocol, v1 and v2, read the way a server reads it: through {@link ProxyHeaderReader}, which
 * must stop exactly at the header's end, whatever follows it and however the bytes are split into reads.
 */
@Timeout(10)
class ProxyHeaderParserTest {
    private static final byte[] PAYLOAD = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A channel over some bytes that hands out at most {@code chunk} per read, then 0 (nothing yet) or -1 (end). */
    static final class Bytes implements ReadableByteChannel {
        private final byte[] bytes;
        private final int chunk;
        private final boolean ends;
        int position;

        Bytes(byte[] bytes, int chunk, boolean ends) {
            this.bytes = bytes;
            this.chunk = chunk;
            this.ends = ends;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position == bytes.length) {
                return ends ? -1 : 0;
            }
            int n = Math.min(Math.min(chunk, dst.remaining()), bytes.length - position);
            dst.put(bytes, position, n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Reads a header followed by a payload, in every chunk size from 1 to all at once, checking the payload is left. */
    private static ProxyHeader read(byte[] header) throws IOException {
        byte[] wire = concat(header, PAYLOAD);
        ProxyHeader first = null;
        for (int chunk : new int[] {1, 2, 3, 7, 16, wire.length}) {
            Bytes channel = new Bytes(wire, chunk, true);
            ProxyHeader got = new ProxyHeaderReader().read(channel);
            assertThat(got).as("chunks of " + chunk).isNotNull();
            assertThat(channel.position).as("bytes read in chunks of " + chunk).isEqualTo(header.length);
            assertThat(got.length()).isEqualTo(header.length);
            if (first != null) {
                assertThat(got).isEqualTo(first);
            }
            first = got;
        }
        return first;
    }

    /** The failure of reading {@code wire} whole (then the end of input). */
    private static ProxyHeaderException failure(byte[] wire) {
        try {
            ProxyHeader header = new ProxyHeaderReader().read(new Bytes(wire, wire.length + 1, true));
            throw new AssertionError("accepted as " + header);
        } catch (ProxyHeaderException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A v2 header: command byte, family byte, then the addresses and TLVs. */
    static byte[] v2(int command, int family, byte[] body) {
        return concat(V2_SIGNATURE, new byte[] {(byte) command, (byte) family, (byte) (body.length >> 8), (byte) body.length},
                body);
    }

    static byte[] inet4Body(String src, String dst, int sport, int dport) throws IOException {
        return ByteBuffer.allocate(12).put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress())
                .putShort((short) sport).putShort((short) dport).array();
    }

    private static InetSocketAddress inet(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @Test
    void v1Tcp4NamesTheClientAndTheAddressItReached() throws Exception {
        ProxyHeader header = read(ascii("PROXY TCP4 192.168.1.10 10.0.0.1 56324 443\r\n"));
        assertThat(header).isEqualTo(new ProxyHeader.Proxied(1, 44, inet("192.168.1.10", 56324), inet("10.0.0.1", 443)));
        assertThat(header.clientOr(inet("127.0.0.1", 1))).isEqualTo(inet("192.168.1.10", 56324));
    }

    @Test
    void v1Tcp6() throws Exception {
        ProxyHeader header = read(ascii("PROXY TCP6 2001:db8::1 ::1 65535 0\r\n"));
        assertThat(header).isEqualTo(new ProxyHeader.Proxied(1, 36, inet("2001:db8::1", 65535), inet("::1", 0)));
    }

    @Test
    void v1OfTheLongestFormsIsRead() throws Exception {
        String address = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        assertThat(read(ascii("PROXY TCP6 " + address + " " + address + " 65535 65535\r\n")))
                .isInstanceOf(ProxyHeader.Proxied.class);
        String longest = "PROXY UNKNOWN " + address + " " + address + " 65535 65535\r\n";
        assertThat(longest).hasSize(ProxyHeaderParser.V1_MAX);
        assertThat(read(ascii(longest))).isInstanceOf(ProxyHeader.Unknown.class);
    }

    @Test
    void v1UnknownKeepsTheRealEndpointsAndIgnoresWhatFollowsIt() throws Exception {
        InetSocketAddress peer = inet("127.0.0.1", 4000);
        assertThat(read(ascii("PROXY UNKNOWN\r\n"))).isEqualTo(new ProxyHeader.Unknown(1, 15));
        ProxyHeader withAddresses = read(ascii("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"));
        assertThat(withAddresses).isInstanceOf(ProxyHeader.Unknown.class);
        assertThat(withAddresses.clientOr(peer)).isSameAs(peer);
    }

    @Test
    void v2ProxyTcp4() throws Exception {
        ProxyHeader header = read(v2(0x21, 0x11, inet4Body("203.0.113.7", "10.0.0.1", 40000, 8080)));
        assertThat(header).isEqualTo(new ProxyHeader.Proxied(2, 28, inet("203.0.113.7", 40000), inet("10.0.0.1", 8080)));
    }

    @Test
    void v2ProxyUdp4IsReadToo() throws Exception {
        assertThat(read(v2(0x21, 0x12, inet4Body("203.0.113.7", "10.0.0.1", 1, 2)))).isInstanceOf(ProxyHeader.Proxied.class);
    }

    @Test
    void v2ProxyTcp6() throws Exception {
        byte[] body = ByteBuffer.allocate(36).put(InetAddress.getByName("2001:db8::7").getAddress())
                .put(InetAddress.getByName("2001:db8::1").getAddress()).putShort((short) 65000).putShort((short) 443).array();
        assertThat(read(v2(0x21, 0x21, body)))
                .isEqualTo(new ProxyHeader.Proxied(2, 52, inet("2001:db8::7", 65000), inet("2001:db8::1", 443)));
    }

    @Test
    void v2ProxyUnixNamesTheSocketPaths() throws Exception {
        byte[] body = new byte[216];
        byte[] src = "/run/client.sock".getBytes(StandardCharsets.UTF_8);
        byte[] dst = "/run/lb.sock".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(src, 0, body, 0, src.length);
        System.arraycopy(dst, 0, body, 108, dst.length);
        assertThat(read(v2(0x21, 0x31, body))).isEqualTo(new ProxyHeader.Proxied(2, 232,
                UnixDomainSocketAddress.of("/run/client.sock"), UnixDomainSocketAddress.of("/run/lb.sock")));
    }

    @Test
    void v2LocalKeepsTheRealEndpointsWhateverItsBodyHolds() throws Exception {
        InetSocketAddress peer = inet("127.0.0.1", 4000);
        ProxyHeader bare = read(v2(0x20, 0x00, new byte[0]));
        assertThat(bare).isEqualTo(new ProxyHeader.Local(2, 16));
        assertThat(bare.clientOr(peer)).isSameAs(peer);
        assertThat(read(v2(0x20, 0x11, inet4Body("1.2.3.4", "5.6.7.8", 1, 2)))).isEqualTo(new ProxyHeader.Local(2, 28));
    }

    @Test
    void v2UnspecKeepsTheRealEndpoints() throws Exception {
        assertThat(read(v2(0x21, 0x00, new byte[] {1, 2, 3}))).isEqualTo(new ProxyHeader.Unknown(2, 19));
    }

    @Test
    void v2TlvsAreSkipped() throws Exception {
        byte[] tlvs = concat(new byte[] {0x01, 0x00, 0x02}, ascii("h2"), // ALPN
                new byte[] {0x02, 0x00, 0x0b}, ascii("example.com"), // authority
                new byte[] {0x04, 0x00, 0x00}); // NOOP, empty
        ProxyHeader header = read(v2(0x21, 0x11, concat(inet4Body("203.0.113.7", "10.0.0.1", 1, 2), tlvs)));
        assertThat(header).isEqualTo(new ProxyHeader.Proxied(2, 16 + 12 + tlvs.length, inet("203.0.113.7", 1), inet("10.0.0.1", 2)));
    }

    @Test
    void aTruncatedHeaderFailsWhenTheInputEnds() throws Exception {
        byte[] v1 = ascii("PROXY TCP4 192.168.1.10 10.0.0.1 56324 443\r\n");
        byte[] v2 = v2(0x21, 0x11, inet4Body("203.0.113.7", "10.0.0.1", 40000, 8080));
        for (byte[] whole : new byte[][] {v1, v2}) {
            for (int cut : new int[] {0, 1, 5, 12, 15, 16, whole.length - 1}) {
                assertThat(failure(Arrays.copyOf(whole, cut))).as("cut at " + cut).hasMessageContaining("connection ended");
            }
        }
    }

    @Test
    void aTruncatedHeaderIsNotWholeWhileTheConnectionStaysOpen() throws Exception {
        byte[] part = ascii("PROXY TCP4 192.168.1.10 10.0.");
        Bytes channel = new Bytes(part, 100, false);
        ProxyHeaderReader reader = new ProxyHeaderReader();
        assertThat(reader.read(channel)).isNull();
        assertThat(reader.received(10)).isEqualTo("PROXY TCP4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\n\r\n", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY\r\n", "\r\n\r\n\u0000\r\nQUIT\u000b"})
    void aConnectionWithoutTheSignatureFails(String start) {
        assertThat(failure(ascii(start))).hasMessageContaining("signature");
    }

    @Test
    void v1EndsOnlyWithCrlf() {
        assertThat(failure(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"))).hasMessageContaining("only CRLF");
        assertThat(failure(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX"))).hasMessageContaining("only CRLF");
        assertThat(failure(ascii("PROXY UNKNOWN\n\r\n"))).hasMessageContaining("only CRLF");
    }

    @Test
    void v1LongerThan107BytesFails() {
        String tooLong = "PROXY UNKNOWN " + "x".repeat(100) + "\r\n";
        assertThat(failure(ascii(tooLong))).hasMessageContaining("107");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 08\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 http 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 \r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 +2\r\n"})
    void v1WithABadPortFails(String header) {
        assertThat(failure(ascii(header))).hasMessageContaining("port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4 256.1.1.1 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4 localhost 1 2\r\n",
        "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "PROXY TCP6 ::g ::1 1 2\r\n", "PROXY TCP6 example.com ::1 1 2\r\n",
        "PROXY TCP6 .::1 ::1 1 2\r\n", "PROXY TCP6 ::1%eth0 ::1 1 2\r\n", "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n"})
    void v1WithABadAddressFails(String header) {
        assertThat(failure(ascii(header))).hasMessageContaining("address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP9 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY UNKNOWNX\r\n", "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n"})
    void v1WithAnUnknownProtocolFails(String header) {
        assertThat(failure(ascii(header))).hasMessageContaining("unknown protocol");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",
        "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n"})
    void v1WithTheWrongFieldsFails(String header) {
        assertThat(failure(ascii(header))).hasMessageContaining("field");
    }

    @Test
    void v2WithAnUndefinedVersionCommandOrFamilyFails() throws Exception {
        byte[] body = inet4Body("1.2.3.4", "5.6.7.8", 1, 2);
        assertThat(failure(v2(0x11, 0x11, body))).hasMessageContaining("version 1");
        assertThat(failure(v2(0x22, 0x11, body))).hasMessageContaining("command 2");
        assertThat(failure(v2(0x21, 0x41, body))).hasMessageContaining("0x41");
        assertThat(failure(v2(0x21, 0x13, body))).hasMessageContaining("0x13");
        assertThat(failure(v2(0x21, 0x10, body))).hasMessageContaining("0x10");
    }

    @Test
    void v2TooShortForItsAddressesFails() throws Exception {
        assertThat(failure(v2(0x21, 0x11, new byte[11]))).hasMessageContaining("too short");
        assertThat(failure(v2(0x21, 0x21, new byte[12]))).hasMessageContaining("too short");
        assertThat(failure(v2(0x21, 0x31, new byte[215]))).hasMessageContaining("too short");
    }

    @Test
    void v2WithATlvRunningPastItsEndFails() throws Exception {
        byte[] body = inet4Body("1.2.3.4", "5.6.7.8", 1, 2);
        assertThat(failure(v2(0x21, 0x11, concat(body, new byte[] {0x01, 0x00, 0x05, 'h', '2'})))).hasMessageContaining("TLV");
        assertThat(failure(v2(0x21, 0x11, concat(body, new byte[] {0x01, 0x00})))).hasMessageContaining("TLV");
    }

    @Test
    void v2DeclaringAnAbsurdLengthFailsBeforeItIsRead() {
        byte[] head = concat(V2_SIGNATURE, new byte[] {0x21, 0x11, (byte) 0xff, (byte) 0xff});
        assertThat(failure(head)).hasMessageContaining("65535").hasMessageContaining("4096");
    }

    @Test
    void v2WithABrokenSignatureFails() throws Exception {
        byte[] header = v2(0x21, 0x11, inet4Body("1.2.3.4", "5.6.7.8", 1, 2));
        header[7] = 'q';
        assertThat(failure(header)).hasMessageContaining("signature");
    }

    @Test
    void aGarbledStartIsRefusedAtItsFirstWrongByte() throws Exception {
        Bytes channel = new Bytes(ascii("GET / HTTP/1.1\r\n"), 1, false);
        assertThatThrownBy(() -> new ProxyHeaderReader().read(channel)).isInstanceOf(ProxyHeaderException.class);
        assertThat(channel.position).isEqualTo(1);
    }
}
