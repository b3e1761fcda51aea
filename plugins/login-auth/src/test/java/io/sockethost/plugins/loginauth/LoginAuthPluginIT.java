package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.events.Refusal;
import io.sockethost.core.events.ServerEvents;
import io.sockethost.testkit.PluginHost;

/**
 * The login-auth plugin's real jar in a real host, driven over loopback as the example's client and as a
 * line-based client. A host per test: lockouts are per client address, and every test is from 127.0.0.1.
 */
@Timeout(60)
class LoginAuthPluginIT {
    static final Path JAR = Path.of(System.getProperty("plugin.jar"));
    /** {@link #tryLogin}'s answer when the server closed the connection at once: its address is locked out. */
    static final String CLOSED = "closed";
    private static final String GOODBYE = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} broken connect with server";

    @TempDir
    Path dir;

    private Path users;
    private PluginHost host;

    @BeforeEach
    void writeUsers() throws IOException {
        users = TestUsers.write(dir.resolve("login-auth.users"), "alice", "wonderland", "bob", "builder");
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void speaksTheExampleClientsBytesOneReplyPerRead() throws Exception {
        InetSocketAddress server = start("");
        try (LoginClient client = new LoginClient(server)) {
            assertThat(client.exchange("Now client connect to Server")).isEqualTo("OK,I am ready");
            assertThat(client.exchange("username:nobody")).isEqualTo("invalid");
            assertThat(client.exchange("username:alice")).isEqualTo("valid");
            assertThat(client.exchange("userpasswd:wrong")).isEqualTo("invalid");
            assertThat(client.exchange("userpasswd:wonderland")).isEqualTo("valid");
            assertThat(client.readOnce()).matches(GOODBYE);
            assertThat(client.readOnce()).as("the server closes").isNull();
        }
    }

    @Test
    void speaksInLinesToALineClient() throws Exception {
        InetSocketAddress server = start("");
        try (LoginClient client = new LoginClient(server)) {
            client.send("Now client connect to Server\n");
            assertThat(client.line()).isEqualTo("OK,I am ready\n");
            // Two lines in one write, and a line split across writes: each gets its own reply.
            client.send("username:nobody\nusername:al");
            assertThat(client.line()).isEqualTo("invalid\n");
            client.send("ice\n");
            assertThat(client.line()).isEqualTo("valid\n");
            client.send("userpasswd:wrong\r\n");
            assertThat(client.line()).as("a CRLF line gets a CRLF reply").isEqualTo("invalid\r\n");
            client.send("userpasswd:wonderland\n");
            assertThat(client.line()).isEqualTo("valid\n");
            assertThat(client.line()).matches(GOODBYE + "\n");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void fiveWrongPasswordsLockOutTheUserAndAddressForTheWindow() throws Exception {
        Duration window = Duration.ofSeconds(2);
        InetSocketAddress server = start(", \"lockoutSeconds\": 2");
        long lockedAt;
        try (LoginClient client = new LoginClient(server)) {
            assertThat(client.exchange("username:alice")).isEqualTo("valid");
            for (int i = 1; i <= 4; i++) {
                assertThat(client.exchange("userpasswd:wrong" + i)).isEqualTo("invalid");
            }
            lockedAt = System.nanoTime();
            assertThat(client.exchange("userpasswd:wrong5")).isEqualTo("invalid");
            assertThat(client.closedByServer()).as("the lockout closes the connection").isTrue();
        }
        assertThat(tryLogin(server, "alice", "wonderland")).as("the right password during the lockout").isEqualTo(CLOSED);
        assertThat(tryLogin(server, "bob", "builder")).as("another user from the locked address").isEqualTo(CLOSED);

        List<String> answers = new ArrayList<>();
        // each try costs a connection and a log line, so try every 100 ms rather than in a tight loop
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            answers.add(tryLogin(server, "alice", "wonderland"));
            return answers.get(answers.size() - 1).equals("valid");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - lockedAt)).isGreaterThanOrEqualTo(window);
        // the user's lockout may outlast the address's by the microseconds between the two counts
        assertThat(answers.subList(0, answers.size() - 1)).isSubsetOf(CLOSED, "invalid");
    }

    @Test
    void aLockedOutAddressIsClosedAtConnectBeforeAThreadServesItCountedAndLoggedOnceWithTheReason() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger refusedByTheHook = new AtomicInteger();
        ServerEvents loginEvents = new ServerEvents() {
            @Override
            public void connectionOpened() {
                opened.incrementAndGet();
            }

            @Override
            public void refused(Refusal reason) {
                if (reason == Refusal.VERIFY) {
                    refusedByTheHook.incrementAndGet();
                }
            }
        };
        host = PluginHost.builder().plugin(JAR).override(usersOverride(users, ""))
                .observe(config -> config.name().equals("login-auth") ? loginEvents : ServerEvents.NONE).start();
        InetSocketAddress server = host.inetAddress("login-auth");
        try (LoginClient client = new LoginClient(server)) {
            assertThat(client.exchange("username:alice")).isEqualTo("valid");
            for (int i = 1; i <= 5; i++) {
                assertThat(client.exchange("userpasswd:wrong" + i)).isEqualTo("invalid");
            }
        }
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                try (LoginClient client = new LoginClient(server)) {
                    assertThat(client.exchangeUnlessClosed("Now client connect to Server")).as("no reply, not even the greeting")
                            .isNull();
                }
            }
        } finally {
            System.setErr(original);
        }
        assertThat(refusedByTheHook).as("counted as the metrics' refusals with reason \"verify\"").hasValue(3);
        assertThat(opened).as("only the connection that locked the address out reached a handler").hasValue(1);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).containsOnlyOnce("closed before its first message: the address 127.0.0.1 is locked out for another ");
    }

    @Test
    void hidingUnknownUsersFailsOnlyAtThePassword() throws Exception {
        InetSocketAddress server = start(", \"hideUnknownUsers\": true");
        try (LoginClient client = new LoginClient(server)) {
            assertThat(client.exchange("username:nobody")).isEqualTo("valid");
            assertThat(client.exchange("userpasswd:wonderland")).isEqualTo("invalid");
            assertThat(client.exchange("username:alice")).isEqualTo("valid");
            assertThat(client.exchange("userpasswd:wonderland")).isEqualTo("valid");
        }
    }

    @Test
    void aPasswordBeforeAUserNameIsInvalidNotACrash() throws Exception {
        InetSocketAddress server = start("");
        try (LoginClient client = new LoginClient(server)) {
            assertThat(client.exchange("userpasswd:wonderland")).isEqualTo("invalid");
            assertThat(client.exchange("what is this")).isEqualTo("invalid");
            assertThat(client.exchange("username:alice")).isEqualTo("valid");
            assertThat(client.exchange("userpasswd:wonderland")).isEqualTo("valid");
        }
    }

    @Test
    void aTooLongMessageOrAnIdleClientIsDisconnectedAndTheServerGoesOn() throws Exception {
        InetSocketAddress server = start(", \"maxMessageBytes\": 100, \"idleTimeoutSeconds\": 0.5");
        try (LoginClient client = new LoginClient(server)) {
            client.send("username:" + "x".repeat(200));
            assertThat(client.closedByServer()).isTrue();
        }
        try (LoginClient client = new LoginClient(server)) {
            client.send("username:nobody\nusername:al");
            assertThat(client.line()).isEqualTo("invalid\n");
            long start = System.nanoTime();
            assertThat(client.closedByServer()).as("a line that never ends").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(tryLogin(server, "alice", "wonderland")).isEqualTo("valid");
    }

    @Test
    void aMalformedUsersFileKeepsTheUsersReadBefore() throws Exception {
        InetSocketAddress server = start("");
        assertThat(tryLogin(server, "alice", "wonderland")).isEqualTo("valid");
        List<String> lines = new ArrayList<>(Files.readAllLines(users));
        lines.add("carol:password-in-plain-text");
        UsersFile.writeAtomically(users, lines);
        assertThat(tryLogin(server, "alice", "wonderland")).isEqualTo("valid");
        assertThat(tryLogin(server, "carol", "password-in-plain-text")).isEqualTo("unknown user");

        TestUsers.write(users, "carol", "cat");
        assertThat(tryLogin(server, "carol", "cat")).as("a fixed file is read again").isEqualTo("valid");
        assertThat(tryLogin(server, "alice", "wonderland")).isEqualTo("unknown user");
    }

    @Test
    void logLinesShowInvisibleAndBidiCharactersOfAUserNameEscaped() throws Exception {
        InetSocketAddress server = start("");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            // The server logs the failure before it answers, so the line is there once the answer is.
            try (LoginClient client = new LoginClient(server)) {
                client.send("username:al\u200Bice\n");
                client.line();
                client.send("userpasswd:x\n");
                assertThat(client.line()).isEqualTo("invalid\n");
                client.send("username:\u202Eecila\"\n");
                client.line();
                client.send("userpasswd:x\n");
                assertThat(client.line()).isEqualTo("invalid\n");
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("wrong password for user \"al\\u200Bice\" from /127.0.0.1:")
                .contains("wrong password for user \"\\u202Eecila\\\"\" from")
                .doesNotContain("\u200B").doesNotContain("\u202E");
    }

    /**
     * @return the answer to the password: {@code valid}, {@code invalid}, {@code unknown user}, or
     *     {@link #CLOSED} if the server closed the connection before it answered the user name
     */
    static String tryLogin(InetSocketAddress server, String user, String password) throws IOException {
        try (LoginClient client = new LoginClient(server)) {
            String known = client.exchangeUnlessClosed("username:" + user);
            if (known == null) {
                return CLOSED;
            }
            if (!known.equals("valid")) {
                return "unknown user";
            }
            return client.exchange("userpasswd:" + password);
        }
    }

    private InetSocketAddress start(String moreSettings) throws Exception {
        host = start(users, moreSettings);
        return host.inetAddress("login-auth");
    }

    static PluginHost start(Path usersFile, String moreSettings) throws Exception {
        return PluginHost.builder().plugin(JAR).override(usersOverride(usersFile, moreSettings)).start();
    }

    private static String usersOverride(Path usersFile, String moreSettings) {
        String path = usersFile.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"servers\": {\"login-auth\": {\"settings\": {\"usersFile\": \"" + path + "\"" + moreSettings + "}}}}";
    }
}
