package io.sockethost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.StreamHandler;
import io.sockethost.core.config.ConfigException;

@Timeout(30)
class TestServerTest {
    record Greeting(String text) { }

    static StreamHandler greeter() {
        return request -> {
            String greeting = request.server().settings(Greeting.class).text();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(request.input(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                request.output().write((greeting + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                request.output().flush();
            }
        };
    }

    static DatagramHandler upper() {
        return request -> {
            byte[] bytes = new byte[request.payload().remaining()];
            request.payload().get(bytes);
            request.output().write(new String(bytes, StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix-stream"})
    void servesAStreamHandlerWithItsSettings(String transport) throws Exception {
        try (TestServer server = TestServer.stream(TestServerTest::greeter)
                .declaration("{\"transport\": \"" + transport + "\", \"concurrency\": {\"mode\": \"sync\"}, "
                        + "\"settings\": {\"text\": \"hello\"}}").start();
             StreamClient client = StreamClient.connect(server.address())) {
            client.send("world\nagain\n");
            assertThat(client.receiveLine()).isEqualTo("hello world");
            assertThat(client.receiveLine()).isEqualTo("hello again");
            client.shutdownOutput();
            assertThat(client.awaitClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "unix-datagram"})
    void servesADatagramHandler(String transport) throws Exception {
        try (TestServer server = TestServer.datagram(TestServerTest::upper)
                .declaration("{\"transport\": \"" + transport + "\"}").start();
             DatagramClient client = DatagramClient.to(server.address())) {
            assertThat(client.send("abc").receiveText()).isEqualTo("ABC");
        }
    }

    @Test
    void aSilentServerTimesTheClientOutInsteadOfHangingTheTest() throws Exception {
        try (TestServer server = TestServer.stream(() -> request -> request.input().read()).start();
             StreamClient client = StreamClient.connect(server.address()).timeout(Duration.ofMillis(100))) {
            assertThatThrownBy(client::receiveSome).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void anInvalidDeclarationNamesTheField() {
        assertThatThrownBy(() -> TestServer.stream(TestServerTest::greeter).declaration("{\"concurrency\": {\"mode\": \"many\"}}").start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("concurrency.mode").hasMessageContaining("sync, threading");
    }

    @Test
    void receivesExactLengthsAndEverythingUntilClose() throws Exception {
        try (TestServer server = TestServer.stream(() -> request -> {
            Channels.newChannel(request.output()).write(java.nio.ByteBuffer.wrap(new byte[100_000]));
        }).start(); StreamClient client = StreamClient.connect(server.address())) {
            assertThat(client.receive(10)).hasSize(10);
            assertThat(client.receiveAll()).hasSize(100_000 - 10);
        }
    }
}
