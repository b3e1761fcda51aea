package io.sockethost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.api.StreamHandler;
import io.sockethost.core.plugin.PluginCatalog;
import io.sockethost.core.server.SocketServer;
import io.sockethost.testkit.PluginHost;

/**
 * {@code Host.reload()} on real plugin jars and real sockets: what did not change keeps serving untouched
 * (the same server object, a connection held across the reload still answers), what changed restarts, jars
 * come and go, a replaced jar's class loader can be collected, and a broken configuration changes nothing.
 */
@Timeout(90)
class ReloadTest {
    private static final Path ECHO = EchoJars.ECHO;
    @TempDir
    Path dir;

    private static final String ECHO_HANDLER = "io.sockethost.plugins.echo.EchoStreamHandler";

    @Test
    void anUnchangedServerKeepsItsConnectionWhileAChangedOneRestarts() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(ECHO).start();
             Socket held = connect(host.inetAddress("echo-tcp"))) {
            assertThat(roundTrip(held, "before\n")).isEqualTo("before\n");
            SocketServer tcp = host.server("echo-tcp");
            SocketServer udp = host.server("echo-udp");

            writeOverride(host, "{\"servers\": {\"echo-udp\": {\"maxPacketSize\": 1000}}}");
            assertThat(host.host().reload()).isTrue();

            assertThat(host.server("echo-tcp")).as("unchanged: never stopped").isSameAs(tcp);
            assertThat(tcp.isOpen()).isTrue();
            assertThat(roundTrip(held, "after the reload\n")).isEqualTo("after the reload\n");
            assertThat(host.server("echo-udp")).as("changed: restarted").isNotSameAs(udp);
            assertThat(host.server("echo-udp").config().maxPacketSize()).isEqualTo(1000);
            assertThat(udp.isOpen()).isFalse();
        }
    }

    @Test
    void aReloadWithAnyProblemChangesNothing() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(ECHO).start()) {
            List<SocketServer> before = host.host().servers();
            writeOverride(host, """
                    {"servers": {"echo-tcp": {"concurrency": {"mode": "bogus"}}, "echo-udp": {"maxPacketSize": 1000},
                                 "echo-unix-stream": {"colour": "blue"}}}""");
            assertThat(host.host().reload()).isFalse();
            assertThat(host.host().servers()).containsExactlyElementsOf(before);
            assertThat(host.server("echo-udp").config().maxPacketSize()).isNotEqualTo(1000);
            assertThat(EchoJars.echo(host.inetAddress("echo-tcp"), "still the old one")).isEqualTo("still the old one");
        }
    }

    @Test
    void aNewJarStartsItsServersAndARemovedOneStopsThemWhileTheOthersServeOn() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(ECHO).start()) {
            SocketServer tcp = host.server("echo-tcp");
            Path second = Files.copy(EchoJars.variant(dir.resolve("second.jar"), d -> EchoJars.renamed(d, "second"), Map.of()),
                    host.home().resolve("plugins/second.jar"));

            assertThat(host.host().reload()).isTrue();
            assertThat(EchoJars.echo(host.inetAddress("second-tcp"), "from the new jar")).isEqualTo("from the new jar");

            Files.delete(second);
            assertThat(host.host().reload()).isTrue();
            assertThat(host.host().servers()).extracting(s -> s.config().name()).doesNotContain("second-tcp");
            assertThat(host.host().plugins().plugins()).extracting(p -> p.id()).containsExactly("echo");
            assertThat(host.server("echo-tcp")).isSameAs(tcp);
        }
    }

    @Test
    void aReplacedJarRestartsItsServersAndItsOldClassLoaderCanBeCollected() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(ECHO).start()) {
            WeakReference<ClassLoader> oldLoader = handlerLoader(host.host().plugins());
            SocketServer oldTcp = host.server("echo-tcp");
            Path jar = host.home().resolve("plugins").resolve(ECHO.getFileName());
            Files.copy(ECHO, jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));

            assertThat(host.host().reload()).isTrue();
            assertThat(host.server("echo-tcp")).isNotSameAs(oldTcp);
            assertThat(oldTcp.isOpen()).isFalse();
            assertThat(EchoJars.echo(host.inetAddress("echo-tcp"), "from the replaced jar")).isEqualTo("from the replaced jar");
            assertThat(handlerLoader(host.host().plugins()).get()).isNotSameAs(oldLoader.get());
            oldTcp = null; // the test's own reference would keep the old handler factory, and so its loader

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (oldLoader.get() != null && System.nanoTime() < deadline) {
                System.gc();
                byte[][] pressure = new byte[16][];
                for (int i = 0; i < pressure.length; i++) {
                    pressure[i] = new byte[1 << 20];
                }
            }
            assertThat(oldLoader.get()).as("the replaced jar's class loader is still reachable").isNull();
        }
    }

    /** In a method of its own, so that no local variable of the test keeps the class. */
    private static WeakReference<ClassLoader> handlerLoader(PluginCatalog catalog) {
        return new WeakReference<>(catalog.extensionConstructor("echo", ECHO_HANDLER, StreamHandler.class)
                .getDeclaringClass().getClassLoader());
    }

    private static void writeOverride(PluginHost host, String json) throws IOException {
        Files.writeString(Files.createDirectories(host.home().resolve("conf/servers")).resolve("900-reload.json"), json);
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Writes a line and reads back as many bytes: the echo handler answers each chunk it reads. */
    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        byte[] back = in.readNBytes(bytes.length);
        return new String(back, StandardCharsets.UTF_8);
    }
}
