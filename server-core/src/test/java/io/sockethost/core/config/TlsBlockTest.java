package io.sockethost.core.config;

import static io.sockethost.core.config.ServerConfigResolverTest.CONF;
import static io.sockethost.core.config.ServerConfigResolverTest.DESCRIPTOR;
import static io.sockethost.core.config.ServerConfigResolverTest.ECHO;
import static io.sockethost.core.config.ServerConfigResolverTest.HOME;
import static io.sockethost.core.config.ServerConfigResolverTest.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code tls} block as written: which fields, which combinations, which transports; its JSON form. */
@Timeout(30)
class TlsBlockTest {

    private static List<String> problems(String override) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(ECHO, override));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static String tls(String server, String block) {
        return "{\"servers\": {\"" + server + "\": {\"tls\": " + block + "}}}";
    }

    @Test
    void pemFilesResolveAgainstTheInstallationFolder() throws Exception {
        ServerConfig tcp = resolve(ECHO, tls("echo-tcp", """
                {"certificate": "conf/tls/fullchain.pem", "privateKey": "/etc/letsencrypt/live/x/privkey.pem"}""")).get(0);
        assertThat(tcp.tls()).isEqualTo(new TlsConfig(HOME.resolve("conf/tls/fullchain.pem"),
                Path.of("/etc/letsencrypt/live/x/privkey.pem"), null, null, null, Duration.ofSeconds(10)));
        assertThat(resolve(ECHO, null).get(0).tls()).as("no block: plain").isNull();
    }

    @Test
    void anInlinePasswordIsRefusedWithTheReason() {
        assertThat(problems(tls("echo-tcp", """
                {"keyStore": "s.p12", "keyStorePassword": "hunter2", "keyStorePasswordEnv": "P"}""")))
                .containsExactly(CONF + ": servers.echo-tcp.tls.keyStorePassword: a password is never written into the "
                        + "configuration, which is readable by everyone who can read conf/, shown by `sockethost config` and "
                        + "often committed; give keyStorePasswordEnv (the name of an environment variable holding it) or "
                        + "keyStorePasswordFile (a file only the host's user can read)");
        assertThat(problems(tls("echo-tcp", "{\"certificate\": \"c\", \"privateKey\": \"k\", \"password\": \"x\"}")))
                .singleElement().asString().startsWith(CONF + ": servers.echo-tcp.tls.password: a password is never written");
    }

    @Test
    void exactlyOneSourceOfKeyAndCertificate() {
        assertThat(problems(tls("echo-tcp", "{\"certificate\": \"c\", \"privateKey\": \"k\", \"keyStore\": \"s\"}")))
                .singleElement().asString().startsWith(CONF + ": servers.echo-tcp.tls: give either certificate and "
                        + "privateKey (PEM files) or keyStore (PKCS#12), not both (an override merges into the tls block");
        assertThat(problems(tls("echo-tcp", "{}"))).singleElement().asString()
                .startsWith(CONF + ": servers.echo-tcp.tls: missing the key and certificate; give certificate and privateKey");
        assertThat(problems(tls("echo-tcp", "{\"certificate\": \"c\"}"))).singleElement().asString()
                .startsWith(CONF + ": servers.echo-tcp.tls.privateKey: missing;");
        assertThat(problems(tls("echo-tcp", "{\"keyStore\": \"s\"}"))).singleElement().asString()
                .startsWith(CONF + ": servers.echo-tcp.tls: keyStore needs its password: give keyStorePasswordEnv");
        assertThat(problems(tls("echo-tcp", "{\"keyStore\": \"s\", \"keyStorePasswordEnv\": \"1X\"}")))
                .containsExactly(CONF + ": servers.echo-tcp.tls.keyStorePasswordEnv: \"1X\" is not an environment "
                        + "variable's name; allowed: letters, digits and '_', not starting with a digit");
        assertThat(problems(tls("echo-tcp", "{\"certificate\": \"c\", \"privateKey\": \"k\", \"keyStorePasswordFile\": \"p\"}")))
                .containsExactly(CONF + ": servers.echo-tcp.tls.keyStorePasswordFile: only used with keyStore; a PEM "
                        + "privateKey is not encrypted");
    }

    @Test
    void tlsIsForTcpServersOnly() {
        assertThat(problems(tls("echo-udp", "{\"certificate\": \"c\", \"privateKey\": \"k\"}")))
                .containsExactly(CONF + ": servers.echo-udp.tls: TLS is served on tcp servers only; this server's transport "
                        + "is udp (a Unix socket never leaves the machine, and TLS over udp would be DTLS)");
    }

    @Test
    void unknownFieldsAndBadTimeoutsAreReportedLikeEveryOtherField() {
        assertThat(problems(tls("echo-tcp", "{\"certificate\": \"c\", \"privateKey\": \"k\", \"handshakeTimeout\": 0, "
                + "\"cipherSuites\": []}"))).containsExactly(
                CONF + ": servers.echo-tcp.tls.cipherSuites: unknown field \"cipherSuites\"; allowed fields: certificate, "
                        + "handshakeTimeout, keyStore, keyStorePasswordEnv, keyStorePasswordFile, privateKey",
                CONF + ": servers.echo-tcp.tls.handshakeTimeout: value 0.0 is out of range; allowed: more than 0 to 3600 seconds");
    }

    @Test
    void aDescriptorMayDeclareTlsTooAndTheProblemNamesIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve("""
                [{"name": "s", "handler": "x.H", "address": "127.0.0.1:1", "tls": {"password": "p"}}]""", null));
        assertThat(e.problems()).extracting(ConfigProblem::toString).contains(DESCRIPTOR
                + ": servers[0].tls.password: a password is never written into the configuration, which is readable by "
                + "everyone who can read conf/, shown by `sockethost config` and often committed; give keyStorePasswordEnv "
                + "(the name of an environment variable holding it) or keyStorePasswordFile (a file only the host's user "
                + "can read)");
    }

    /** A forking worker resolves the JSON form again: it must get the very same files. */
    @Test
    void theJsonFormResolvesToTheSameBlock() throws Exception {
        for (String block : List.of("{\"certificate\": \"conf/c.pem\", \"privateKey\": \"/etc/k.pem\", \"handshakeTimeout\": 2.5}",
                "{\"keyStore\": \"conf/s.p12\", \"keyStorePasswordEnv\": \"P\"}",
                "{\"keyStore\": \"conf/s.p12\", \"keyStorePasswordFile\": \"conf/p\"}")) {
            ServerConfig first = resolve(ECHO, tls("echo-tcp", block)).get(0);
            ObjectNode written = ServerConfigJson.write(first, HOME);
            written.put("name", "echo-tcp");
            ServerConfig again = resolve("[" + written + "]", null).get(0);
            assertThat(again.tls()).as(block).isEqualTo(first.tls());
        }
    }
}
