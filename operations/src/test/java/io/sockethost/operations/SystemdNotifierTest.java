package io.sockethost.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** {@link SystemdNotifier} against a real Unix datagram socket standing in for systemd. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SystemdNotifierTest {
    @TempDir
    Path temp;

    private static String receive(AFUNIXDatagramChannel systemd) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        systemd.receive(buffer);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    @Test
    void sendsEachStateAsOneDatagramToAPathSocket() throws Exception {
        Path socket = temp.resolve("notify.sock");
        try (AFUNIXDatagramChannel systemd = AFUNIXDatagramChannel.open()) {
            systemd.bind(AFUNIXSocketAddress.of(socket));
            systemd.socket().setSoTimeout(10_000);
            SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()));
            assertThat(notifier.enabled()).isTrue();

            notifier.ready("serving: 3 of 3 server(s) listening");
            assertThat(receive(systemd)).isEqualTo("READY=1\nSTATUS=serving: 3 of 3 server(s) listening");
            long before = System.nanoTime() / 1000;
            notifier.reloading();
            String reloading = receive(systemd);
            assertThat(reloading).startsWith("RELOADING=1\nMONOTONIC_USEC=");
            long usec = Long.parseLong(reloading.split("\n")[1].substring("MONOTONIC_USEC=".length()));
            assertThat(usec).isBetween(before, System.nanoTime() / 1000);
            notifier.stopping();
            assertThat(receive(systemd)).startsWith("STOPPING=1\n");
        }
    }

    @Test
    void anAtSignMeansTheAbstractNamespace() throws Exception {
        String name = "sockethost-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (AFUNIXDatagramChannel systemd = AFUNIXDatagramChannel.open()) {
            systemd.bind(AFUNIXSocketAddress.inAbstractNamespace(name));
            systemd.socket().setSoTimeout(10_000);
            SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name)).status("two of two");
            assertThat(receive(systemd)).isEqualTo("STATUS=two of two");
        }
    }

    @Test
    void withoutNotifySocketEveryCallDoesNothing() {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of());
        assertThat(notifier.enabled()).isFalse();
        notifier.ready("ignored");
        notifier.reloading();
        notifier.stopping();
    }

    @Test
    void anUnusableSocketIsLoggedNotThrown() {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", temp.resolve("nobody-listens").toString()));
        assertThat(notifier.enabled()).isTrue();
        notifier.ready("nobody hears this"); // must return normally: readiness reporting never stops the host
    }
}
