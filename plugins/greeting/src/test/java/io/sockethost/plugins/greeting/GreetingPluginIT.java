package io.sockethost.plugins.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.DatagramClient;
import io.sockethost.testkit.PluginHost;
import io.sockethost.testkit.StreamClient;
import io.sockethost.testkit.WithPluginHost;

/**
 * The greeting plugin's real jar in a real host, every server on an ephemeral address, answering the
 * socketserver tutorial's clients byte for byte: its three names, then {@code exit}.
 */
@Timeout(60)
@WithPluginHost
class GreetingPluginIT {
    private static final List<String> NAMES = List.of("Michael", "Tracy", "Sarah");

    private static String receive(StreamClient client, String expected) throws IOException {
        return new String(client.receive(expected.getBytes(StandardCharsets.UTF_8).length), StandardCharsets.UTF_8);
    }

    @Test
    void tcpWelcomesGreetsEachMessageAndClosesOnExit(PluginHost host) throws Exception {
        try (StreamClient client = StreamClient.connect(host.address("greeting-tcp"))) {
            // the handler never calls flush(): each of these arrives because its next read flushed it
            assertThat(receive(client, "Welcome!")).isEqualTo("Welcome!");
            for (String name : NAMES) {
                client.send(name);
                assertThat(receive(client, "Hello, " + name + "!")).isEqualTo("Hello, " + name + "!");
            }
            client.send("exit");
            assertThat(client.receiveAll()).as("closed after exit, with nothing more sent").isEmpty();
        }
    }

    @Test
    void tcpGreetsTheLastMessageAndClosesAtEndOfStream(PluginHost host) throws Exception {
        try (StreamClient client = StreamClient.connect(host.address("greeting-tcp"))) {
            assertThat(receive(client, "Welcome!")).isEqualTo("Welcome!");
            client.send("exit\n").shutdownOutput(); // not exactly "exit": greeted as any message
            assertThat(new String(client.receiveAll(), StandardCharsets.UTF_8)).isEqualTo("Hello, exit\n!");
        }
    }

    @Test
    void udpGreetsEachDatagram(PluginHost host) throws Exception {
        try (DatagramClient client = DatagramClient.to(host.address("greeting-udp"))) {
            for (String name : NAMES) {
                assertThat(client.send(name).receiveText()).isEqualTo("Hello, " + name + "!");
            }
            assertThat(client.send("").receiveText()).isEqualTo("Hello, !");
        }
    }

    /** The tutorial's own Python clients, where python3 is installed, print what the tutorial shows. */
    @Test
    void thePythonTutorialClientsGetTheTutorialsAnswers(PluginHost host) throws Exception {
        InetSocketAddress tcp = host.inetAddress("greeting-tcp");
        InetSocketAddress udp = host.inetAddress("greeting-udp");
        String script = String.join("\n",
                "import socket, sys",
                "tcp = ('127.0.0.1', int(sys.argv[1])); udp = ('127.0.0.1', int(sys.argv[2]))",
                "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.settimeout(20); s.connect(tcp)",
                "print(s.recv(1024).decode('utf-8'))",
                "for data in [b'Michael', b'Tracy', b'Sarah']:",
                "    s.send(data)",
                "    print(s.recv(1024).decode('utf-8'))",
                "s.send(b'exit')",
                "print(repr(s.recv(1024)))",
                "s.close()",
                "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(20)",
                "for data in [b'Michael', b'Tracy', b'Sarah']:",
                "    u.sendto(data, udp)",
                "    print(u.recv(1024).decode('utf-8'))",
                "u.close()",
                "");
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", script, String.valueOf(tcp.getPort()), String.valueOf(udp.getPort()))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed; skipping (" + e.getMessage() + ")");
            return;
        }
        try {
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output).isEqualTo(String.join("\n", "Welcome!", "Hello, Michael!", "Hello, Tracy!", "Hello, Sarah!",
                    "b''", "Hello, Michael!", "Hello, Tracy!", "Hello, Sarah!", ""));
        } finally {
            python.destroyForcibly();
        }
    }
}
