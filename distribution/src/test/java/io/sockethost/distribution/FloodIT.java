package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.config.StrictJson;

/**
 * The default distribution survives idle floods from one address: while 3,000 idle connections to echo, or
 * 300 slowloris connections to http-lite, come from 127.0.0.1, a client from 127.0.0.2 is served at once.
 * Everything stays on loopback and every connection is closed when the test ends.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher, and sends signals with kill")
class FloodIT {
    private static final Pattern STARTED = Pattern.compile("sockethost started (\\d+) server\\(s\\)");

    @TempDir
    Path temp;

    private Installation install;
    private HostProcess host;
    private final List<Socket> flood = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        install = Installation.unzip(Path.of(System.getProperty("distribution.zip")), System.getProperty("distribution.name"),
                temp.resolve("dist"));
        install.writeTestOverrides("test", 5, StrictJson.MAPPER.createObjectNode());
        host = HostProcess.start(install.launcher(), Files.createDirectories(temp.resolve("cwd")),
                new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"))));
        host.awaitLog(STARTED, Duration.ofSeconds(90));
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : flood) {
            s.close();
        }
        if (host != null) {
            host.signal("TERM");
            host.awaitExit(Duration.ofSeconds(30));
            host.close();
        }
    }

    /** Opens connections from 127.0.0.1 that say nothing (or one byte of a request head), as an attacker would. */
    private void floodFromOneAddress(InetSocketAddress target, int count, byte[] firstBytes) {
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            flood.add(s);
            try {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                s.connect(target, 2_000);
                if (firstBytes.length > 0) {
                    s.getOutputStream().write(firstBytes);
                }
            } catch (IOException e) {
                // turned away or dropped from a full backlog: what the server does with a flood
            }
        }
    }

    private static Socket fromAnotherAddress(InetSocketAddress target) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.2", 0));
        s.setSoTimeout(10_000);
        s.connect(target, 10_000);
        return s;
    }

    @Test
    void threeThousandIdleEchoConnectionsFromOneAddressLockNobodyElseOut() throws Exception {
        InetSocketAddress echo = host.inetAddress("echo-tcp");
        floodFromOneAddress(echo, 3_000, new byte[0]);
        long start = System.nanoTime();
        try (Socket client = fromAnotherAddress(echo)) {
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = client.getInputStream().readNBytes(4);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("ping");
            assertThat(millis).as("ms until another address was served").isLessThan(200);
        }
        if (Runtime.version().feature() < 21) {
            // platform threads: the address's share (half of 256 workers) is held, the rest turned away and logged;
            // on virtual threads all 3,000 fit within the address's share of 10,000
            assertThat(host.stderr()).as("the flood is logged, rate-limited")
                    .anyMatch(l -> l.contains("server echo-tcp: refused client 127.0.0.1: over verify.maxConnectionsPerClient"));
        }
    }

    /** On virtual threads the default distribution holds 10,000 idle connections, each proven served. */
    @Test
    void onJava21AndLaterTenThousandIdleEchoConnectionsAreHeld() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21,
                "platform threads on Java " + Runtime.version().feature() + ": the default cap is 256");
        InetSocketAddress echo = host.inetAddress("echo-tcp");
        // four addresses: each may hold half of the 10,000 workers
        for (int i = 0; i < 10_000; i++) {
            Socket s = new Socket();
            flood.add(s);
            s.bind(new InetSocketAddress("127.0.0." + (1 + i % 4), 0));
            s.connect(echo, 10_000);
            s.getOutputStream().write('x');
        }
        for (Socket s : flood) {
            s.setSoTimeout(30_000);
            assertThat(s.getInputStream().read()).as("echo on a held connection").isEqualTo('x');
        }
    }

    @Test
    void threeHundredSlowlorisConnectionsToHttpLiteLockNobodyElseOut() throws Exception {
        InetSocketAddress http = host.inetAddress("http-lite");
        floodFromOneAddress(http, 300, "G".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        try (Socket client = fromAnotherAddress(http)) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(status).isEqualTo("HTTP/1.1 200");
            assertThat(millis).as("ms until another address was served").isLessThan(500);
        }
    }
}
