package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.plugins.loginauth.LoginSession.After;
import io.sockethost.plugins.loginauth.LoginSession.Response;

/** The protocol's answers, message by message. */
@Timeout(60)
class LoginSessionTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 40000);

    @TempDir
    Path dir;

    @Test
    void speaksTheExamplesProtocol() throws Exception {
        LoginSession session = session(false);
        assertThat(send(session, "Now client connect to Server")).isEqualTo(new Response("OK,I am ready", After.CONTINUE));
        assertThat(send(session, "username:nobody")).isEqualTo(new Response("invalid", After.CONTINUE));
        assertThat(send(session, "username:alice")).isEqualTo(new Response("valid", After.CONTINUE));
        assertThat(send(session, "userpasswd:wrong")).isEqualTo(new Response("invalid", After.CONTINUE));
        assertThat(send(session, "userpasswd:a:b ü")).isEqualTo(new Response("valid", After.GOODBYE));
    }

    @Test
    void whereTheExampleMisbehavesTheAnswerIsInvalid() throws Exception {
        LoginSession session = session(false);
        for (int i = 0; i < 10; i++) {
            assertThat(send(session, "userpasswd:a:b ü")).as("a password before a user name")
                    .isEqualTo(new Response("invalid", After.CONTINUE));
        }
        assertThat(send(session, "hello?")).isEqualTo(new Response("invalid", After.CONTINUE));
        assertThat(send(session, "username:")).isEqualTo(new Response("invalid", After.CONTINUE));
        assertThat(send(session, "username:alice")).isEqualTo(new Response("valid", After.CONTINUE));
        assertThat(send(session, "userpasswd:a:b ü")).as("none of that counted as a failure")
                .isEqualTo(new Response("valid", After.GOODBYE));
    }

    @Test
    void hidingUnknownUsersAnswersValidToEveryNameAndFailsAtThePassword() throws Exception {
        LoginSession session = session(true);
        assertThat(send(session, "username:nobody")).isEqualTo(new Response("valid", After.CONTINUE));
        assertThat(send(session, "userpasswd:a:b ü")).isEqualTo(new Response("invalid", After.CONTINUE));
    }

    @Test
    void theFailureThatLocksOutClosesTheConnection() throws Exception {
        LoginSession session = session(false);
        send(session, "username:alice");
        for (int i = 1; i < 5; i++) {
            assertThat(send(session, "userpasswd:wrong" + i)).isEqualTo(new Response("invalid", After.CONTINUE));
        }
        assertThat(send(session, "userpasswd:wrong5")).isEqualTo(new Response("invalid", After.CLOSE));
        assertThat(send(session, "userpasswd:a:b ü")).as("locked out").isEqualTo(new Response("invalid", After.CLOSE));
    }

    private LoginSession session(boolean hideUnknownUsers) throws Exception {
        Path users = TestUsers.write(dir.resolve("users"), "alice", "a:b ü");
        LoginService service = new LoginService("test", java.nio.file.Path.of(""),
                new LoginAuthSettings(users.toString(), hideUnknownUsers, null, null, null, null, null, null, null), System::nanoTime,
                new HashPool());
        return new LoginSession(service, CLIENT);
    }

    private static Response send(LoginSession session, String message) {
        return session.onMessage(message.getBytes(StandardCharsets.UTF_8));
    }
}
