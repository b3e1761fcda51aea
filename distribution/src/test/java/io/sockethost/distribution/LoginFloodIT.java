package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;

/**
 * Issue 19's login flood target, on the default distribution: while 100 password guesses from 127.0.0.1
 * arrive at login-auth at the same instant, echo answers a client from 127.0.0.2 with a p99 of at most
 * 250 ms over a few hundred round trips. Once as shipped (the address's attempt slots refuse most guesses
 * unhashed), and once with the lockout raised out of the way, so that only the host-wide hash pool stands
 * between the flood and the cores.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher, and sends signals with kill")
class LoginFloodIT {
    private static final Pattern STARTED = Pattern.compile("sockethost started (\\d+) server\\(s\\)");
    private static final Pattern HASHED = Pattern.compile("server login-auth: wrong password for user");
    private static final int GUESSES = 100;
    private static final int MIN_ROUND_TRIPS = 300;
    private static final long P99_LIMIT_MILLIS = 250;

    @TempDir
    Path temp;

    private HostProcess host;
    private final ExecutorService guessers = Executors.newFixedThreadPool(GUESSES);

    @AfterEach
    void stop() throws Exception {
        guessers.shutdownNow();
        assertThat(guessers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        if (host != null) {
            if (host.isAlive()) {
                host.signal("TERM");
                host.awaitExit(Duration.ofSeconds(30));
            }
            host.close();
        }
    }

    @Test
    void asShippedAHundredParallelGuessesLeaveEchoFastForAnotherAddress() throws Exception {
        start(StrictJson.MAPPER.createObjectNode());
        Flood flood = floodWhileEchoing();

        assertThat(flood.answers()).hasSize(GUESSES).containsOnly("invalid");
        assertThat(hashedChecks()).as("guesses checked; the address's slots refused the rest unhashed").isBetween(1L, 10L);
        assertThat(flood.p99Millis()).as("echo p99 (ms) for 127.0.0.2 over %d round trips during the flood", flood.roundTrips())
                .isLessThanOrEqualTo(P99_LIMIT_MILLIS);
    }

    @Test
    void withTheLockoutOutOfTheWayTheHashPoolAloneKeepsEchoFast() throws Exception {
        ObjectNode servers = StrictJson.MAPPER.createObjectNode();
        ObjectNode login = servers.putObject("login-auth");
        login.put("address", "127.0.0.1:0");
        login.putObject("settings").put("maxFailures", 1_000); // the most allowed, 10 times the flood
        start(servers);
        Flood flood = floodWhileEchoing();

        assertThat(flood.answers()).hasSize(GUESSES).containsOnly("invalid");
        assertThat(hashedChecks()).as("guesses that reached the hash pool").isGreaterThan(2L);
        assertThat(flood.p99Millis()).as("echo p99 (ms) for 127.0.0.2 over %d round trips during the flood", flood.roundTrips())
                .isLessThanOrEqualTo(P99_LIMIT_MILLIS);
    }

    private void start(ObjectNode extraServers) throws Exception {
        Installation install = Installation.unzip(Path.of(System.getProperty("distribution.zip")),
                System.getProperty("distribution.name"), temp.resolve("dist"));
        install.writeTestOverrides("test", 5, extraServers);
        host = HostProcess.start(install.launcher(), Files.createDirectories(temp.resolve("cwd")),
                new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"))));
        host.awaitLog(STARTED, Duration.ofSeconds(90));
    }

    private long hashedChecks() {
        long[] count = {0};
        host.forEachLog(HASHED, m -> count[0]++);
        return count[0];
    }

    /**
     * @param answers each guess's answer to its password
     * @param roundTrips echo round trips measured while the guesses were out
     */
    private record Flood(List<String> answers, long p99Millis, int roundTrips) {
    }

    /**
     * Opens {@link #GUESSES} login-auth connections from 127.0.0.1, each naming a user of its own, sends every
     * password at the same instant, and measures echo round trips from 127.0.0.2 from then until the last guess
     * is answered (and at least {@link #MIN_ROUND_TRIPS}).
     */
    private Flood floodWhileEchoing() throws Exception {
        InetSocketAddress login = host.inetAddress("login-auth");
        InetSocketAddress echo = host.inetAddress("echo-tcp");
        CyclicBarrier together = new CyclicBarrier(GUESSES + 1);
        List<Future<String>> guesses = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            int n = i;
            guesses.add(guessers.submit(() -> guess(login, "user" + n, "guess" + n, together)));
        }
        try (Socket client = new Socket()) {
            client.bind(new InetSocketAddress("127.0.0.2", 0));
            client.setSoTimeout(30_000);
            client.setTcpNoDelay(true);
            client.connect(echo, 10_000);
            byte[] ping = "ping from another address\n".getBytes(StandardCharsets.US_ASCII);
            roundTrip(client, ping); // connected and served before the flood starts
            together.await(60, TimeUnit.SECONDS);
            List<Long> nanos = new ArrayList<>();
            while (nanos.size() < MIN_ROUND_TRIPS || guesses.stream().anyMatch(g -> !g.isDone())) {
                long start = System.nanoTime();
                roundTrip(client, ping);
                nanos.add(System.nanoTime() - start);
                assertThat(nanos.size()).as("round trips before the flood ended").isLessThan(2_000_000);
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> guess : guesses) {
                answers.add(guess.get(60, TimeUnit.SECONDS));
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
            // the figure itself, for the report (the assertion only says whether it is under the limit)
            System.out.printf("LoginFloodIT: echo from 127.0.0.2 during %d guesses: %d round trips, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    GUESSES, sorted.length, sorted[sorted.length / 2] / 1e6, p99 / 1e6, sorted[sorted.length - 1] / 1e6);
            return new Flood(answers, TimeUnit.NANOSECONDS.toMillis(p99), sorted.length);
        }
    }

    private static void roundTrip(Socket client, byte[] ping) throws IOException {
        client.getOutputStream().write(ping);
        byte[] reply = client.getInputStream().readNBytes(ping.length);
        assertThat(Arrays.equals(reply, ping)).as("echo answered its own bytes").isTrue();
    }

    private static String guess(InetSocketAddress login, String user, String password, CyclicBarrier together) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            s.setSoTimeout(60_000);
            s.connect(login, 10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out.write(("Now client connect to Server\nusername:" + user + "\n").getBytes(StandardCharsets.US_ASCII));
            in.readLine(); // OK,I am ready
            in.readLine(); // invalid: no such user, but its password is checked all the same
            together.await(60, TimeUnit.SECONDS);
            out.write(("userpasswd:" + password + "\n").getBytes(StandardCharsets.US_ASCII));
            String answer = in.readLine();
            return answer == null ? "<closed>" : answer.strip();
        }
    }
}
