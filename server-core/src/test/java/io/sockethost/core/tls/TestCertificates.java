package io.sockethost.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;

/**
 * Keys and certificates made at test time with the {@code openssl} and {@code keytool} commands, as an
 * operator would make them. A test that needs them is skipped, saying why, where {@code openssl} is missing.
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A certificate with its key, as PEM files. */
    public record Pem(Path certificate, Path privateKey) {
    }

    /** Skips the calling test, saying why, if the openssl command is missing. */
    public static void assumeOpenssl() {
        Assumptions.assumeTrue(works("openssl", "version"), "openssl is not on the PATH: this test makes its "
                + "certificates with it (install the openssl package)");
    }

    /** A self-signed P-256 certificate for localhost and 127.0.0.1 with its PKCS#8 key, valid for two days. */
    public static Pem ec(Path dir, String name) throws IOException {
        return selfSigned(dir, name, "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    /** As {@link #ec}, with a 2048-bit RSA key. */
    public static Pem rsa(Path dir, String name) throws IOException {
        return selfSigned(dir, name, "rsa:2048");
    }

    private static Pem selfSigned(Path dir, String name, String newKey, String... keyOptions) throws IOException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", newKey));
        command.addAll(List.of(keyOptions));
        command.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        run(command);
        return new Pem(cert, key);
    }

    /** An RSA key in the traditional PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}). */
    public static Path pkcs1Key(Path dir) throws IOException {
        Path key = dir.resolve("pkcs1.key");
        run(List.of("openssl", "genrsa", "-traditional", "-out", key.toString(), "2048"));
        return key;
    }

    /** An EC key in the SEC1 form ({@code BEGIN EC PRIVATE KEY}), as {@code openssl ecparam -genkey} writes it. */
    public static Path sec1Key(Path dir) throws IOException {
        Path key = dir.resolve("sec1.key");
        run(List.of("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", key.toString()));
        return key;
    }

    /** The certificate and key in a PKCS#12 key store with the given password. */
    public static Path pkcs12(Pem pem, Path store, String password) throws IOException {
        run(List.of("openssl", "pkcs12", "-export", "-in", pem.certificate().toString(), "-inkey",
                pem.privateKey().toString(), "-out", store.toString(), "-passout", "pass:" + password));
        return store;
    }

    /** A PKCS#12 key store whose certificate expired yesterday (keytool can date it back). */
    public static Path expiredPkcs12(Path store, String password) throws IOException {
        run(List.of("keytool", "-genkeypair", "-alias", "old", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=expired", "-startdate", "-3d", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password));
        return store;
    }

    /** A client context that trusts exactly this certificate. */
    public static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
