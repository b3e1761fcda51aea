package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.api.StreamHandler;
import io.sockethost.testkit.PluginHost;

/**
 * Password floods against the real plugin jar over loopback: many connections send their password at the
 * same instant. The hashes are counted by the plugin's own {@link HashMeter}, read from the plugin's class
 * loader, so the assertions do not depend on timing.
 */
@Timeout(120)
class LoginAuthFloodIT {
    /** Slow enough that every attempt of a flood is still being checked when the last one arrives. */
    private static final int SLOW_ITERATIONS = 100_000;

    @TempDir
    Path dir;

    private PluginHost host;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        if (host != null) {
            host.close();
        }
    }

    @Test
    void fiftySimultaneousWrongPasswordsForOneUserCostAtMostMaxFailuresHashes() throws Exception {
        Path users = writeUsers("alice", "wonderland");
        host = LoginAuthPluginIT.start(users, "");
        InetSocketAddress server = host.inetAddress("login-auth");
        Meter meter = Meter.of(host);

        List<String> answers = flood(server, 50, i -> "alice", i -> "wrong" + i);

        assertThat(answers).hasSize(50).containsOnly("invalid");
        assertThat(meter.computed()).as("hashes computed for 50 simultaneous guesses, maxFailures 5").isBetween(1L, 5L);
        assertThat(LoginAuthPluginIT.tryLogin(server, "alice", "wonderland")).as("the address is locked out now")
                .isEqualTo(LoginAuthPluginIT.CLOSED);
        assertThat(meter.computed()).as("the refusal during the lockout cost no hash").isLessThanOrEqualTo(5L);
    }

    @Test
    void aHundredSimultaneousGuessesAtAHundredNamesNeverRunMoreHashesThanThePool() throws Exception {
        Path users = writeUsers("alice", "wonderland");
        // maxFailures high, so that the lockout of the one test address does not stop the flood first.
        host = LoginAuthPluginIT.start(users, ", \"maxFailures\": 1000, \"hashPoolSize\": 2");
        InetSocketAddress server = host.inetAddress("login-auth");
        Meter meter = Meter.of(host);

        List<String> answers = flood(server, 100, i -> "user" + i, i -> "guess" + i);

        assertThat(answers).as("checked or refused, every guess gets the protocol's answer").hasSize(100)
                .containsOnly("invalid");
        assertThat(meter.peak()).as("hashes running at once").isBetween(1, 2);
        assertThat(meter.computed()).as("the queue let some wait their turn").isGreaterThan(2L);
        assertThat(LoginAuthPluginIT.tryLogin(server, "alice", "wonderland")).as("after the flood").isEqualTo("valid");
    }

    private Path writeUsers(String name, String password) throws IOException {
        Path file = dir.resolve("login-auth.users");
        UsersFile.writeAtomically(file, List.of(UsersFile.HEADER, TestUsers.line(name, password, SLOW_ITERATIONS)));
        return file;
    }

    /**
     * Opens {@code count} connections, names a user on each, then sends every password at the same instant.
     *
     * @return the answers to the passwords
     */
    private List<String> flood(InetSocketAddress server, int count, java.util.function.IntFunction<String> user,
            java.util.function.IntFunction<String> password) throws Exception {
        CyclicBarrier together = new CyclicBarrier(count);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            answers.add(clients.submit(() -> {
                try (LoginClient client = new LoginClient(server)) {
                    client.send("username:" + user.apply(n) + "\n");
                    client.line();
                    together.await(30, TimeUnit.SECONDS);
                    client.send("userpasswd:" + password.apply(n) + "\n");
                    return client.line().strip();
                }
            }));
        }
        List<String> result = new ArrayList<>();
        for (Future<String> answer : answers) {
            result.add(answer.get(60, TimeUnit.SECONDS));
        }
        return result;
    }

    /** The plugin's {@link PasswordHash#METER}, as loaded by the plugin's own class loader. */
    private record Meter(Object meter, Method computedMethod, Method peakMethod) {
        static Meter of(PluginHost host) throws ReflectiveOperationException {
            ClassLoader plugin = host.host().plugins()
                    .extensionConstructor("login-auth", LoginAuthHandler.class.getName(), StreamHandler.class)
                    .getDeclaringClass().getClassLoader();
            assertThat(plugin).as("the plugin's classes, not the test's").isNotSameAs(Meter.class.getClassLoader());
            Field field = Class.forName(PasswordHash.class.getName(), true, plugin).getDeclaredField("METER");
            field.setAccessible(true);
            Object meter = field.get(null);
            Method computed = meter.getClass().getDeclaredMethod("computed");
            Method peak = meter.getClass().getDeclaredMethod("peak");
            computed.setAccessible(true);
            peak.setAccessible(true);
            return new Meter(meter, computed, peak);
        }

        long computed() throws ReflectiveOperationException {
            return (long) computedMethod.invoke(meter);
        }

        int peak() throws ReflectiveOperationException {
            return (int) peakMethod.invoke(meter);
        }
    }
}
