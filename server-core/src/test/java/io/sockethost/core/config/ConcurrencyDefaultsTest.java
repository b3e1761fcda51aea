package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Threading defaults to virtual threads where the runtime has them, with caps sized for each kind of thread. */
@Timeout(30)
class ConcurrencyDefaultsTest {

    private static ServerConfig server(String extra) throws Exception {
        return ServerConfigResolverTest.resolve("[{\"name\": \"s\", \"handler\": \"x.H\", \"address\": \"127.0.0.1:0\""
                + extra + "}]", null).get(0);
    }

    @Test
    void virtualThreadsByDefaultFromJava21WithACapInTheThousands() throws Exception {
        ServerConfig config = server("");
        boolean java21 = Runtime.version().feature() >= 21;
        assertThat(config.concurrency().virtualThreads()).isEqualTo(java21);
        assertThat(config.concurrency().maxWorkers()).isEqualTo(java21 ? 10_000 : 256);
        assertThat(config.concurrency().summary()).contains(java21 ? "virtual" : "max 256");
    }

    @Test
    void theCapFollowsTheKindOfThreadTheOperatorChose() throws Exception {
        assertThat(server(", \"concurrency\": {\"virtualThreads\": false}").concurrency().maxWorkers()).isEqualTo(256);
        assertThat(server(", \"concurrency\": {\"virtualThreads\": true}").concurrency().maxWorkers()).isEqualTo(10_000);
        assertThat(server(", \"concurrency\": {\"virtualThreads\": true, \"maxWorkers\": 50}").concurrency().maxWorkers())
                .isEqualTo(50);
    }

    @Test
    void oneAddressMayHoldHalfTheWorkersUnderThreadingAndAnyNumberOtherwise() throws Exception {
        for (Object[] c : List.of(
                new Object[] {", \"concurrency\": {\"virtualThreads\": false}", 128},
                new Object[] {", \"concurrency\": {\"maxWorkers\": 9}", 4},
                new Object[] {", \"concurrency\": {\"mode\": \"forking\", \"maxChildren\": 40}", 0},
                new Object[] {", \"concurrency\": {\"mode\": \"sync\"}", 0},
                new Object[] {", \"verify\": {\"maxConnectionsPerClient\": 7}", 7},
                new Object[] {", \"verify\": {\"allow\": [\"127.0.0.1\"]}, \"concurrency\": {\"maxWorkers\": 10}", 5})) {
            assertThat(server((String) c[0]).clientRules().maxConnectionsPerClient()).as((String) c[0]).isEqualTo(c[1]);
        }
    }
}
