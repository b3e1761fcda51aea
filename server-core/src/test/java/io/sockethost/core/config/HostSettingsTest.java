package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code host} block, read from real override files in a {@code conf/} folder. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostSettingsTest {
    @TempDir
    Path conf;

    private HostSettings read() throws Exception {
        return HostSettings.from(OverrideFile.readAll(conf));
    }

    @Test
    void theAdminListenerIsOffUnlessAnAddressIsGiven() throws Exception {
        assertThat(read().adminAddress()).isNull();
        Files.writeString(conf.resolve("sockethost.json"), "{\"host\": {\"admin\": {\"address\": null}}}");
        assertThat(read().adminAddress()).isNull();
    }

    @Test
    void aLaterFileSetsTheAdminAddressAndKeepsAnEarlierShutdownTimeout() throws Exception {
        Files.writeString(conf.resolve("sockethost.json"), "{\"host\": {\"shutdownTimeout\": 3, \"admin\": {\"address\": null}}}");
        Files.createDirectories(conf.resolve("servers"));
        Files.writeString(conf.resolve("servers/ops.json"), "{\"host\": {\"admin\": {\"address\": \"127.0.0.1:9100\"}}}");
        HostSettings settings = read();
        assertThat(settings.adminAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 9100));
        assertThat(settings.shutdownTimeout()).hasSeconds(3);
    }

    @Test
    void aBadAddressNamesTheFileThePathAndWhatIsAllowed() throws Exception {
        Files.writeString(conf.resolve("sockethost.json"), "{\"host\": {\"admin\": {\"address\": \"localhost\"}}}");
        assertThatThrownBy(this::read).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sockethost.json").hasMessageContaining("host.admin.address")
                .hasMessageContaining("allowed: host:port");
    }
}
