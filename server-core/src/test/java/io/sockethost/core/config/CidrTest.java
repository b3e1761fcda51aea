package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CidrTest {

    @Test
    void matchesByPrefix() throws Exception {
        Cidr net = Cidr.parse("10.1.0.0/16");
        assertThat(net.matches(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(net.matches(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.128/25").matches(InetAddress.getByName("192.168.1.127"))).isFalse();
        assertThat(Cidr.parse("192.168.1.128/25").matches(InetAddress.getByName("192.168.1.200"))).isTrue();
        assertThat(Cidr.parse("::1").matches(InetAddress.getByName("::1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").matches(InetAddress.getByName("8.8.8.8"))).isTrue();
    }

    /**
     * An IPv4 client of a dual-stack ({@code [::]}) listener is {@code ::ffff:127.0.0.1} on the wire; the JDK
     * hands it over as an {@link Inet4Address}, which is what lets IPv4 blocks match it with no mapping code.
     */
    @Test
    @Timeout(30)
    void ipv4ClientsOfADualStackListenerMatchIpv4Blocks() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            try {
                listener.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            } catch (java.io.IOException | UnsupportedOperationException e) {
                Assumptions.abort("no IPv6 on this machine: " + e);
            }
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                 SocketChannel accepted = listener.accept()) {
                InetAddress peer = ((InetSocketAddress) accepted.getRemoteAddress()).getAddress();
                assertThat(peer).isInstanceOf(Inet4Address.class);
                assertThat(Cidr.parse("127.0.0.0/8").matches(peer)).isTrue();
                assertThat(Cidr.parse("::1").matches(peer)).isFalse();
            }
        }
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertThat(InetAddress.getByAddress(mapped)).isInstanceOf(Inet4Address.class);
    }

    @Test
    void refusesWhatIsNotALiteralBlock() {
        for (String bad : List.of("localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "")) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("allowed");
        }
    }

    @Test
    void onlyTextTheJdkReadsAsALiteralGoesToItSoNothingIsLookedUp() {
        assertThat(Cidr.looksLiteral("10.0.0.1")).isTrue();
        assertThat(Cidr.looksLiteral("::1")).isTrue();
        assertThat(Cidr.looksLiteral("fe80::1%lo")).isTrue();
        assertThat(Cidr.looksLiteral("[::1]")).isTrue();
        assertThat(Cidr.looksLiteral("")).isFalse();
        assertThat(Cidr.looksLiteral("example.com")).isFalse();
        assertThat(Cidr.looksLiteral("g:1")).as("the JDK would resolve this name").isFalse();
        assertThat(Cidr.looksLiteral("localhost:80")).isFalse();
        assertThatThrownBy(() -> Cidr.parse("g:1/8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an address block");
    }

    @Test
    void denyWinsAndAnEmptyAllowListAllowsEveryone() throws Exception {
        ClientRules rules = new ClientRules(List.of(), List.of(Cidr.parse("10.0.0.5")), 0);
        assertThat(rules.permits(new InetSocketAddress("10.0.0.5", 1))).isFalse();
        assertThat(rules.permits(new InetSocketAddress("10.0.0.6", 1))).isTrue();
        ClientRules allowOnly = new ClientRules(List.of(Cidr.parse("10.0.0.0/8")), List.of(Cidr.parse("10.0.0.5")), 0);
        assertThat(allowOnly.permits(new InetSocketAddress("10.9.9.9", 1))).isTrue();
        assertThat(allowOnly.permits(new InetSocketAddress("10.0.0.5", 1))).isFalse();
        assertThat(allowOnly.permits(new InetSocketAddress("11.0.0.1", 1))).isFalse();
    }
}
