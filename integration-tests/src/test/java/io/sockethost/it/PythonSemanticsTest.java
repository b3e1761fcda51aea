package io.sockethost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.it.fixture.HalfDoneDatagramHandler;
import io.sockethost.it.fixture.PromptStreamHandler;
import io.sockethost.it.fixture.RecordingHooks;
import io.sockethost.testkit.PluginHost;

/**
 * What a handler ported from Python relies on, through a real plugin jar in a real host: a prompt leaves
 * without {@code flush()} before the handler waits for the answer; {@code handleError} runs for a reset and a
 * read timeout; a datagram handler that threw still replies with what it wrote, and its error is handled.
 */
@Timeout(60)
class PythonSemanticsTest {
    private static final List<Class<?>> CLASSES = List.of(RecordingHooks.class, HalfDoneDatagramHandler.class,
            PromptStreamHandler.class);
    private static final String DESCRIPTOR = """
            {
              "id": "python-semantics",
              "version": "1.0.0",
              "requires": ">=1.0.0",
              "servers": [
                {"name": "prompt", "handler": "%2$s", "transport": "tcp", "address": "127.0.0.1:0",
                 "readTimeout": 0.5, "hooks": "%1$s"},
                {"name": "half-done", "handler": "%3$s", "transport": "udp", "address": "127.0.0.1:0", "hooks": "%1$s"}
              ]
            }
            """.formatted(RecordingHooks.class.getName(), PromptStreamHandler.class.getName(),
            HalfDoneDatagramHandler.class.getName());

    @TempDir
    Path dir;

    private Path pluginJar() throws IOException {
        Path jar = dir.resolve("python-semantics.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, "sockethost-plugin.json", DESCRIPTOR.getBytes(StandardCharsets.UTF_8));
            StringBuilder index = new StringBuilder();
            for (Class<?> type : CLASSES) {
                index.append(type.getName()).append('\n');
                String classFile = type.getName().replace('.', '/') + ".class";
                try (InputStream bytes = type.getClassLoader().getResourceAsStream(classFile)) {
                    entry(out, classFile, bytes.readAllBytes());
                }
            }
            entry(out, "META-INF/extensions.idx", index.toString().getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void entry(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    /** @return the hook's lines once there are {@code count} of them (or what there is after 10 s) */
    private static List<String> handledErrors(PluginHost host, int count) throws IOException {
        Path log = host.home().resolve(RecordingHooks.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).size() >= count) {
                break;
            }
            Thread.onSpinWait(); // the hook runs as the request ends, within milliseconds
        }
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static String read(InputStream in, int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void aPromptLeavesWithoutFlushAndAReadTimeoutAndAResetReachHandleError() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(pluginJar()).start()) {
            InetSocketAddress prompt = host.inetAddress("prompt");
            try (Socket client = new Socket(prompt.getAddress(), prompt.getPort())) {
                client.setSoTimeout(10_000);
                InputStream in = client.getInputStream();
                assertThat(read(in, 6)).isEqualTo("name? ");
                client.getOutputStream().write("Ann\n".getBytes(StandardCharsets.UTF_8));
                assertThat(read(in, 13)).isEqualTo("hi Ann\nname? ");
                // then silence: the read timeout ends the connection and reaches the hook
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(handledErrors(host, 1)).containsExactly("prompt java.net.SocketTimeoutException");

            try (Socket client = new Socket(prompt.getAddress(), prompt.getPort())) {
                client.setSoTimeout(10_000);
                assertThat(read(client.getInputStream(), 6)).isEqualTo("name? ");
                client.setSoLinger(true, 0); // close with RST while the handler waits for the answer
            }
            List<String> handled = handledErrors(host, 2);
            assertThat(handled).hasSize(2);
            assertThat(handled.get(1)).startsWith("prompt java.net.SocketException");
        }
    }

    @Test
    void aDatagramHandlerThatThrowsStillRepliesWithWhatItWroteAndItsErrorIsHandled() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(pluginJar()).start();
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(10_000);
            client.send(new DatagramPacket(new byte[] {'x'}, 1, host.inetAddress("half-done")));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            client.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("partial");
            assertThat(handledErrors(host, 1)).containsExactly("half-done java.lang.IllegalStateException");
        }
    }
}
