package io.sockethost.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** At most one line per client address and minute, with the count of what it hid, and escaped client text. */
@Timeout(10)
class RefusalsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Refusals refusals = new Refusals("echo-tcp", now::get);

    @Test
    void oneLinePerClientAddressAndMinuteWhateverThePort() {
        assertThat(refusals.refused(new InetSocketAddress("127.0.0.2", 40001), "over verify.maxConnectionsPerClient (1)"))
                .isEqualTo("server echo-tcp: refused client 127.0.0.2: over verify.maxConnectionsPerClient (1)");
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(refusals.refused(new InetSocketAddress("127.0.0.2", 40002), "over")).isNull();
        assertThat(refusals.refused(new InetSocketAddress("127.0.0.2", 40003), "over")).isNull();
        assertThat(refusals.refused(new InetSocketAddress("127.0.0.3", 40004), "over")).as("another client").isNotNull();

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(refusals.refused(new InetSocketAddress("127.0.0.2", 40005), "over"))
                .isEqualTo("server echo-tcp: refused client 127.0.0.2: over (and 2 more refusal(s) of this client not "
                        + "logged in the minute before)");
    }

    @Test
    void aClientsOwnTextIsEscapedToOnePlainLine() {
        String line = refusals.refused(UnixDomainSocketAddress.of("/tmp/evil\n2026 INFO forged\u00e9"), "verify hook");
        assertThat(line).doesNotContain("\n").contains("/tmp/evil\\x0a2026 INFO forged\\u00e9");
    }
}
