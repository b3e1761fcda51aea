package io.sockethost.plugins.uppercase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;
import io.sockethost.testkit.StreamClient;
import io.sockethost.testkit.WithPluginHost;

/** The uppercase plugin's real jar in a real host. */
@Timeout(60)
@WithPluginHost
class UppercasePluginIT {

    @Test
    void upperCasesAsciiOnlyByDefault(PluginHost host) throws Exception {
        assertThat(roundTrip(host, "hello ß")).isEqualTo("HELLO ß");
    }

    @Test
    void keepsEveryNonLetterByteAndTheLength(PluginHost host) throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (StreamClient client = StreamClient.connect(host.address("uppercase-tcp"))) {
            byte[] reply = client.send(all).shutdownOutput().receiveAll();
            assertThat(reply).hasSize(256);
            assertThat(reply['a']).isEqualTo((byte) 'A');
            assertThat(reply[0xdf]).isEqualTo((byte) 0xdf);
        }
    }

    @Test
    void upperCasesTextWhenACharsetIsSet() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")))
                .override("{\"servers\": {\"uppercase-tcp\": {\"settings\": {\"charset\": \"UTF-8\"}}}}").start()) {
            assertThat(roundTrip(host, "hello ß")).isEqualTo("HELLO SS");
        }
    }

    @Test
    void anUnknownCharsetOrSettingIsRefusedBeforeTheHostBinds() {
        for (String settings : new String[] {"{\"charset\": \"UTF-9\"}", "{\"charst\": \"UTF-8\"}"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PluginHost.builder()
                    .plugin(Path.of(System.getProperty("plugin.jar")))
                    .override("{\"servers\": {\"uppercase-tcp\": {\"settings\": " + settings + "}}}").start())
                    .as(settings).isInstanceOf(io.sockethost.core.config.ConfigException.class)
                    .hasMessageContaining("servers.uppercase-tcp.settings")
                    .hasMessageContaining(settings.contains("UTF-9") ? "unknown charset \"UTF-9\"" : "unknown field \"charst\"");
        }
    }

    private static String roundTrip(PluginHost host, String text) throws Exception {
        try (StreamClient client = StreamClient.connect(host.address("uppercase-tcp"))) {
            return new String(client.send(text).shutdownOutput().receiveAll(), StandardCharsets.UTF_8);
        }
    }
}
