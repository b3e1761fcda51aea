package io.sockethost.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.core.config.ServerConfigResolver.PluginCheck;
import io.sockethost.core.config.TlsConfig;

/** Loading keys and certificates as openssl, certbot and keytool write them, and every way it can go wrong. */
@Timeout(120)
class ServerTlsTest {
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final PluginCheck.Problems problems = new PluginCheck.Problems() {
        @Override
        public void error(String field, String message) {
            errors.add(field + ": " + message);
        }

        @Override
        public void warning(String field, String message) {
            warnings.add(field + ": " + message);
        }
    };

    @BeforeEach
    void needsOpenssl() {
        TestCertificates.assumeOpenssl();
    }

    private static TlsConfig pem(Path certificate, Path key) {
        return new TlsConfig(certificate, key, null, null, null, HANDSHAKE);
    }

    @Test
    void loadsPkcs8PemKeysOfEveryCommonKind() throws Exception {
        for (TestCertificates.Pem pem : List.of(TestCertificates.ec(dir, "ec"), TestCertificates.rsa(dir, "rsa"))) {
            ServerTls tls = ServerTls.load(pem(pem.certificate(), pem.privateKey()), problems);
            assertThat(tls).isNotNull();
            assertThat(tls.summary()).startsWith("CN=localhost, valid until ");
        }
        assertThat(errors).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aPkcs1OrSec1KeyGetsTheConversionCommand() throws Exception {
        TestCertificates.Pem pem = TestCertificates.rsa(dir, "rsa");
        Path pkcs1 = TestCertificates.pkcs1Key(dir);
        Path sec1 = TestCertificates.sec1Key(dir);
        assertThat(ServerTls.load(pem(pem.certificate(), pkcs1), problems)).isNull();
        assertThat(ServerTls.load(pem(pem.certificate(), sec1), problems)).isNull();
        assertThat(errors).containsExactly(
                "tls.privateKey: " + pkcs1 + " holds a PKCS#1 key (-----BEGIN RSA PRIVATE KEY-----), which Java cannot "
                        + "read; convert it to PKCS#8 with: openssl pkey -in " + pkcs1 + " -out " + pkcs1 + ".pk8  and give that file",
                "tls.privateKey: " + sec1 + " holds a SEC1 key (-----BEGIN EC PRIVATE KEY-----), which Java cannot "
                        + "read; convert it to PKCS#8 with: openssl pkey -in " + sec1 + " -out " + sec1 + ".pk8  and give that file");
    }

    @Test
    void theConvertedKeyLoads() throws Exception {
        Path pkcs1 = TestCertificates.pkcs1Key(dir);
        Path cert = dir.resolve("pkcs1.crt");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-key", pkcs1.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=localhost").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Path converted = Path.of(pkcs1 + ".pk8");
        p = new ProcessBuilder("openssl", "pkey", "-in", pkcs1.toString(), "-out", converted.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(ServerTls.load(pem(cert, converted), problems)).isNotNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void missingFilesAndAMismatchedKeyAreNamed() throws Exception {
        TestCertificates.Pem a = TestCertificates.ec(dir, "a");
        TestCertificates.Pem b = TestCertificates.ec(dir, "b");
        assertThat(ServerTls.load(pem(dir.resolve("none.crt"), dir.resolve("none.key")), problems)).isNull();
        assertThat(ServerTls.load(pem(a.certificate(), b.privateKey()), problems)).isNull();
        assertThat(ServerTls.load(pem(a.privateKey(), a.privateKey()), problems)).isNull();
        assertThat(errors).containsExactly(
                "tls.certificate: file " + dir.resolve("none.crt") + " does not exist (relative paths resolve against the "
                        + "installation folder)",
                "tls.privateKey: file " + dir.resolve("none.key") + " does not exist (relative paths resolve against the "
                        + "installation folder)",
                "tls.privateKey: " + b.privateKey() + " is not the key of the certificate in " + a.certificate()
                        + " (CN=localhost); give the key that was made with it (certbot: privkey.pem of the same folder)",
                "tls.certificate: " + a.privateKey() + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the "
                        + "certificate chain, e.g. certbot's fullchain.pem");
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        TestCertificates.Pem pem = TestCertificates.ec(dir, "ec");
        pem.privateKey().toFile().setReadable(false, false);
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(pem.privateKey()), "running as root: every file is readable");
        assertThat(ServerTls.load(pem(pem.certificate(), pem.privateKey()), problems)).isNull();
        assertThat(errors).containsExactly("tls.privateKey: cannot read " + pem.privateKey()
                + ": permission denied for the host's user");
    }

    @Test
    void aPkcs12KeyStoreWithItsPasswordInAFile() throws Exception {
        Path store = TestCertificates.pkcs12(TestCertificates.ec(dir, "ec"), dir.resolve("server.p12"), "s3cret");
        Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "guess\n");
        assertThat(ServerTls.load(new TlsConfig(null, null, store, null, password, HANDSHAKE), problems)).isNotNull();
        assertThat(errors).isEmpty();
        assertThat(ServerTls.load(new TlsConfig(null, null, store, null, wrong, HANDSHAKE), problems)).isNull();
        assertThat(ServerTls.load(new TlsConfig(null, null, store, "SOCKETHOST_TEST_UNSET_PASSWORD", null, HANDSHAKE),
                problems)).isNull();
        assertThat(errors).containsExactly(
                "tls.keyStorePasswordFile: wrong password for the key store " + store,
                "tls.keyStorePasswordEnv: environment variable SOCKETHOST_TEST_UNSET_PASSWORD is not set in the host's "
                        + "environment; set it to the password of " + store);
    }

    @Test
    void anExpiredCertificateIsAWarningAndStillLoads() throws Exception {
        Path store = TestCertificates.expiredPkcs12(dir.resolve("old.p12"), "s3cret");
        Path password = Files.writeString(dir.resolve("password"), "s3cret");
        assertThat(ServerTls.load(new TlsConfig(null, null, store, null, password, HANDSHAKE), problems)).isNotNull();
        assertThat(errors).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("tls.keyStore: the certificate CN=expired expired on ")
                .endsWith("; clients will refuse it until it is renewed (then reload)");
    }

    @Test
    void loadThrowsWithEveryProblem() {
        assertThatThrownBy(() -> ServerTls.load(pem(dir.resolve("c"), dir.resolve("k"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tls.certificate: file " + dir.resolve("c"))
                .hasMessageContaining("; tls.privateKey: file " + dir.resolve("k"));
    }

    @Test
    void onlyForwardSecretAeadSuitesAreOffered() {
        assertThat(ServerTls.modern(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"}))
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(ServerTls.modern(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"})).as("never nothing")
                .containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void sameAsComparesKeyAndChain() throws Exception {
        TestCertificates.Pem a = TestCertificates.ec(dir, "a");
        TestCertificates.Pem b = TestCertificates.ec(dir, "b");
        ServerTls first = ServerTls.load(pem(a.certificate(), a.privateKey()));
        assertThat(first.sameAs(ServerTls.load(pem(a.certificate(), a.privateKey())))).isTrue();
        assertThat(first.sameAs(ServerTls.load(pem(b.certificate(), b.privateKey())))).isFalse();
    }
}
