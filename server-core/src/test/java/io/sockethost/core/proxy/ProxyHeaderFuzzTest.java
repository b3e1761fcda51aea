package io.sockethost.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the PROXY protocol header reader ({@link ProxyHeaderReader} over {@link ProxyHeaderParser}), which
 * reads what a load balancer, or anyone who gets past {@code proxyProtocol.trusted}, sends first.
 *
 * <p>Input: the first byte sets how many bytes each read hands out (1 to 256), the rest is the connection's
 * bytes, after which the input ends.
 *
 * <p>Expected: a header, or {@link ProxyHeaderException}. A finding is any other exception or error, a hang,
 * or a header that breaks the reader's promises: it read exactly the header's bytes and no more (what follows
 * belongs to the handler), within the size bounds; the same bytes read in one piece give the same header;
 * and the header's bytes followed by anything else still give it (the end of a header never depends on what
 * comes after it).
 */
class ProxyHeaderFuzzTest {
    private static final int MOST = 16 + ProxyHeaderParser.V2_MAX_PAYLOAD;

    @FuzzTest
    @Timeout(10)
    // libFuzzer's dictionary syntax: \xNN for bytes that are not printable
    @DictionaryEntries({"PROXY ", "TCP4 ", "TCP6 ", "UNKNOWN", "\\x0d\\x0a", "127.0.0.1 ", "::1 ", "ffff:", "65535",
        "\\x0d\\x0a\\x0d\\x0a\\x00\\x0d\\x0aQUIT\\x0a", "\\x21\\x11\\x00\\x0c", "\\x20\\x00\\x00\\x00",
        "\\x21\\x31\\x00\\xd8"})
    void read(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int chunk = (input[0] & 0xff) + 1;
        byte[] wire = Arrays.copyOfRange(input, 1, input.length);
        ProxyHeaderParserTest.Bytes channel = new ProxyHeaderParserTest.Bytes(wire, chunk, true);
        ProxyHeader header;
        try {
            header = new ProxyHeaderReader().read(channel);
        } catch (ProxyHeaderException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(header).as("a reader at the end of its input has a header or a failure").isNotNull();
        assertThat(header.length()).as("bytes read").isEqualTo(channel.position).isLessThanOrEqualTo(MOST);
        if (header.version() == 1) {
            assertThat(header.length()).isLessThanOrEqualTo(ProxyHeaderParser.V1_MAX);
        }
        if (header instanceof ProxyHeader.Proxied proxied) {
            assertThat(proxied.source()).isInstanceOfAny(InetSocketAddress.class, UnixDomainSocketAddress.class);
            assertThat(proxied.source().getClass()).isEqualTo(proxied.destination().getClass());
        }
        byte[] exact = Arrays.copyOf(wire, header.length());
        assertThat(ProxyHeaderParser.parse(exact, exact.length)).isEqualTo(header);
        byte[] followed = Arrays.copyOf(exact, exact.length + 64);
        Arrays.fill(followed, exact.length, followed.length, (byte) '\n');
        ProxyHeaderParserTest.Bytes again = new ProxyHeaderParserTest.Bytes(followed, followed.length, true);
        assertThat(new ProxyHeaderReader().read(again)).isEqualTo(header);
        assertThat(again.position).isEqualTo(header.length());
    }
}
