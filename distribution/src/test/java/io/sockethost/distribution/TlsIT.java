package io.sockethost.distribution;

import static io.sockethost.distribution.DistributionIT.START;
import static io.sockethost.distribution.DistributionIT.awaitStarted;
import static io.sockethost.distribution.DistributionIT.stopWithSigterm;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.DistributionIT.Announced;
import io.sockethost.distribution.HostProcess.Finished;

/**
 * TLS on the real distribution, with the clients people use: curl against http-lite, Python's ssl module
 * against echo (threading and forking) and login-auth, a TLS 1.1 client and a plain-text client refused
 * while the server goes on, PEM files and PKCS#12 key stores with the password from the environment or a
 * file, {@code check} naming each broken file, and a reload that picks up a renewed certificate. Keys and
 * certificates are made with openssl, as an operator would; without openssl, curl or python3 on the PATH the
 * tests are skipped, saying which is missing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher")
class TlsIT extends InstalledDistribution {
    private static final String PASSWORD_ENV = "SOCKETHOST_TEST_KEYSTORE_PASSWORD";
    private Path tls;

    @BeforeEach
    void certificates() throws Exception {
        for (String tool : List.of("openssl", "curl", "python3")) {
            Assumptions.assumeTrue(onPath(tool),
                    tool + " is not on the PATH: the TLS tests of the distribution need openssl, curl and python3");
        }
        tls = Files.createDirectories(install.conf().resolve("tls"));
        selfSigned("server");
        selfSigned("echo");
        run("openssl", "pkcs12", "-export", "-in", tls.resolve("server.crt").toString(), "-inkey",
                tls.resolve("server.key").toString(), "-out", tls.resolve("server.p12").toString(), "-passout", "pass:s3cret");
        Files.writeString(tls.resolve("p12.password"), "s3cret\n");
        environment.put(PASSWORD_ENV, "s3cret");
    }

    /** conf/tls/NAME.crt and NAME.key: a self-signed P-256 certificate for localhost and 127.0.0.1 (PKCS#8 key). */
    private void selfSigned(String name) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                tls.resolve(name + ".key").toString(), "-out", tls.resolve(name + ".crt").toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    }

    private static ObjectNode pem(String name) {
        ObjectNode block = StrictJson.MAPPER.createObjectNode();
        return block.put("certificate", "conf/tls/" + name + ".crt").put("privateKey", "conf/tls/" + name + ".key");
    }

    @Test
    void curlAndPythonTalkToTlsServersAndBadClientsAreTurnedAway() throws Exception {
        ObjectNode servers = StrictJson.MAPPER.createObjectNode();
        servers.putObject("http-lite").put("address", "127.0.0.1:0").set("tls", pem("server"));
        servers.putObject("login-auth").put("address", "127.0.0.1:0").set("tls", pem("server"));
        servers.putObject("echo-tcp").put("address", "127.0.0.1:0").set("tls", pem("echo"));
        ObjectNode forking = servers.putObject("echo-tls-forking").put("from", "echo-tcp").put("address", "127.0.0.1:0");
        forking.putObject("concurrency").put("mode", "forking").put("warmWorkers", 1);
        // a copy inherits echo-tcp's PEM files: null removes them (JSON merge patch)
        forking.putObject("tls").put("keyStore", "conf/tls/server.p12").put("keyStorePasswordEnv", PASSWORD_ENV)
                .putNull("certificate").putNull("privateKey");
        servers.putObject("echo-tls-p12").put("from", "echo-tcp").put("address", "127.0.0.1:0").putObject("tls")
                .put("keyStore", "conf/tls/server.p12").put("keyStorePasswordFile", "conf/tls/p12.password")
                .putNull("certificate").putNull("privateKey");
        install.writeTestOverrides("test", 10, servers);
        addLoginUser("alice", "wonderland");
        Path serverCa = tls.resolve("server.crt");
        Path echoCa = tls.resolve("echo.crt");

        try (HostProcess host = start()) {
            Map<String, Announced> started = awaitStarted(host);
            InetSocketAddress web = started.get("http-lite").inet();
            String page = run("curl", "-sS", "--fail", "--cacert", serverCa.toString(), "https://localhost:" + web.getPort() + "/");
            assertThat(page).contains(Files.readString(install.home().resolve("www/index.html")));
            String plainHttp = run("curl", "-sS", "--max-time", "10", "http://localhost:" + web.getPort() + "/", "-o", "/dev/null",
                    "-w", "%{http_code}");
            assertThat(plainHttp).as("plain HTTP on the TLS port gets no answer").isEqualTo("000");

            assertThat(python(started.get("echo-tcp"), echoCa, "hello over TLS", "again"))
                    .containsExactly("protocol: TLSv1.3", "hello over TLS", "again", "closed cleanly");
            assertThat(python(started.get("login-auth"), serverCa, "--until-closed", "Now client connect to Server",
                    "username:alice", "userpasswd:wonderland")).startsWith("protocol: TLSv1.3", "OK,I am ready", "valid", "valid")
                    .last().asString().endsWith("broken connect with server");
            assertThat(python(started.get("echo-tls-forking"), serverCa, "served by a worker"))
                    .containsExactly("protocol: TLSv1.3", "served by a worker", "closed cleanly");
            assertThat(python(started.get("echo-tls-p12"), serverCa, "key store, password file"))
                    .containsExactly("protocol: TLSv1.3", "key store, password file", "closed cleanly");

            assertThat(python(started.get("echo-tcp"), echoCa, "--max-tls1.1", "old")).singleElement().asString()
                    .startsWith("handshake failed: ");
            assertThat(python(started.get("echo-tcp"), serverCa, "wrong CA")).singleElement().asString()
                    .startsWith("handshake failed: ").contains("CERTIFICATE_VERIFY_FAILED");
            try (Socket plain = new Socket("127.0.0.1", started.get("echo-tcp").inet().getPort())) {
                plain.setSoTimeout(15_000);
                plain.getOutputStream().write("plain text\n".getBytes(StandardCharsets.US_ASCII));
                byte[] back = new byte[64];
                int n;
                try {
                    n = plain.getInputStream().read(back);
                } catch (java.net.SocketException e) {
                    n = -1; // reset: closed with the plain text unread
                }
                assertThat(n <= 0 || !new String(back, 0, n, StandardCharsets.ISO_8859_1).contains("plain text"))
                        .as("plain text is never echoed").isTrue();
            }
            assertThat(python(started.get("echo-tcp"), echoCa, "still serving")).containsExactly("protocol: TLSv1.3", "still serving", "closed cleanly");
            host.awaitLog(Pattern.compile("server echo-tcp: refused client 127\\.0\\.0\\.1: TLS handshake failed: "), START);
            assertThat(host.stderr()).as(host.transcript()).noneMatch(l -> l.contains("ERROR"));
            stopWithSigterm(host);
        }
    }

    @Test
    void aReloadPicksUpARenewedCertificateWithoutRestartingTheServer() throws Exception {
        ObjectNode servers = StrictJson.MAPPER.createObjectNode();
        servers.putObject("echo-tcp").put("address", "127.0.0.1:0").set("tls", pem("echo"));
        install.writeTestOverrides("test", 10, servers);
        try (HostProcess host = start()) {
            Map<String, Announced> started = awaitStarted(host);
            Path oldCa = Files.copy(tls.resolve("echo.crt"), tls.resolve("old-echo.crt"));
            assertThat(python(started.get("echo-tcp"), oldCa, "before")).containsExactly("protocol: TLSv1.3", "before", "closed cleanly");

            selfSigned("renewed"); // certbot renews by writing new files where the old ones were
            Files.move(tls.resolve("renewed.crt"), tls.resolve("echo.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(tls.resolve("renewed.key"), tls.resolve("echo.key"), StandardCopyOption.REPLACE_EXISTING);
            Finished reload = runToEnd("reload");
            assertThat(reload.status()).as(reload.toString()).isZero();
            host.awaitLog(Pattern.compile("server echo-tcp: TLS certificate reloaded: CN=localhost"), START);
            assertThat(host.awaitLog(Pattern.compile("reloaded: (\\d+) server\\(s\\) kept, (\\d+) restarted"), START).group(2))
                    .as("no server restarted").isEqualTo("0");

            assertThat(python(started.get("echo-tcp"), tls.resolve("echo.crt"), "after"))
                    .as("same port, new certificate").containsExactly("protocol: TLSv1.3", "after", "closed cleanly");
            assertThat(python(started.get("echo-tcp"), oldCa, "old")).singleElement().asString().startsWith("handshake failed: ");
            stopWithSigterm(host);
        }
    }

    @Test
    void checkNamesEveryBrokenTlsFileAndRunBindsNothing() throws Exception {
        run("openssl", "genrsa", "-traditional", "-out", tls.resolve("pkcs1.key").toString(), "2048");
        Path conf = Files.createDirectories(install.conf().resolve("servers")).resolve("tls.json");
        Files.writeString(conf, """
                {"servers": {
                  "echo-tcp": {"tls": {"certificate": "conf/tls/server.crt", "privateKey": "conf/tls/pkcs1.key"}},
                  "http-lite": {"tls": {"certificate": "conf/tls/missing.crt", "privateKey": "conf/tls/server.key"}},
                  "login-auth": {"tls": {"certificate": "conf/tls/server.crt", "privateKey": "conf/tls/echo.key"}},
                  "uppercase-tcp": {"tls": {"keyStore": "conf/tls/server.p12", "password": "s3cret"}},
                  "greeting-tcp": {"tls": {"keyStore": "conf/tls/server.p12", "keyStorePasswordEnv": "SOCKETHOST_TEST_UNSET"}}
                }}
                """);
        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.toString()).isEqualTo(3);
        Path home = install.home();
        assertThat(check.out())
                .contains(conf + ": servers.echo-tcp.tls.privateKey: " + home.resolve("conf/tls/pkcs1.key")
                        + " holds a PKCS#1 key (-----BEGIN RSA PRIVATE KEY-----), which Java cannot read; convert it to "
                        + "PKCS#8 with: openssl pkey -in ")
                .contains(conf + ": servers.http-lite.tls.certificate: file " + home.resolve("conf/tls/missing.crt")
                        + " does not exist")
                .contains(conf + ": servers.login-auth.tls.privateKey: " + home.resolve("conf/tls/echo.key")
                        + " is not the key of the certificate in " + home.resolve("conf/tls/server.crt"))
                .contains(conf + ": servers.uppercase-tcp.tls.password: a password is never written into the configuration")
                .contains(conf + ": servers.greeting-tcp.tls.keyStorePasswordEnv: environment variable SOCKETHOST_TEST_UNSET "
                        + "is not set");
        Finished run = runToEnd("run");
        assertThat(run.status()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).as("run bound nothing").doesNotContain("listening on");
    }

    /** Runs tls-client.py (Python's ssl module) and returns the lines it printed. */
    private List<String> python(Announced server, Path ca, String... lines) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", Path.of(TlsIT.class.getResource("tls-client.py").toURI())
                .toString(), "127.0.0.1", Integer.toString(server.inet().getPort()), ca.toString()));
        command.addAll(List.of(lines));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
        return out.lines().toList();
    }

    /** Whether an executable of this name is on the PATH. */
    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /** Runs a command to its end and returns its standard output; fails the test if it fails. */
    private String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        if (!command[0].equals("curl") || !command[command.length - 1].equals("%{http_code}")) {
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + err).isZero();
        }
        return out;
    }
}
