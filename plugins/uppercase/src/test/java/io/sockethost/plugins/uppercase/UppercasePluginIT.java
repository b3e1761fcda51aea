package io.sockethost.plugins.uppercase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;

/** The uppercase plugin's real jar in a real host. */
@Timeout(60)
class UppercasePluginIT {
    private static final Path JAR = Path.of(System.getProperty("plugin.jar"));

    @Test
    void upperCasesAsciiOnlyByDefault() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(JAR).start()) {
            assertThat(roundTrip(host.inetAddress("uppercase-tcp"), "hello ß")).isEqualTo("HELLO ß");
        }
    }

    @Test
    void upperCasesTextWhenACharsetIsSet() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"uppercase-tcp\": {\"settings\": {\"charset\": \"UTF-8\"}}}}").start()) {
            assertThat(roundTrip(host.inetAddress("uppercase-tcp"), "hello ß")).isEqualTo("HELLO SS");
        }
    }

    private static String roundTrip(InetSocketAddress address, String text) throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
