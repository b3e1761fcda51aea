package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

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

    @Test
    void ipv4MappedClientsMatchIpv4Blocks() throws Exception {
        assertThat(Cidr.parse("127.0.0.0/8").matches(InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}))).isTrue();
    }

    @Test
    void refusesWhatIsNotALiteralBlock() {
        for (String bad : List.of("localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "")) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("allowed");
        }
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
