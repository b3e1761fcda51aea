package io.sockethost.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.sockethost.bench.Environment;

/**
 * The run's certificate for the HTTPS scenario: a self-signed P-256 certificate and its PKCS#8 key, made with
 * {@code openssl} in the run's folder the first time a server needs it, so that sockethost and nginx serve the
 * same key. Used by the harness thread only.
 *
 * @param certificate PEM certificate
 * @param privateKey PEM PKCS#8 key
 */
public record BenchCertificate(Path certificate, Path privateKey) {

    /** @return why the HTTPS rows cannot run here (no openssl), or empty */
    public static Optional<String> unavailable() {
        return io.sockethost.bench.system.Executables.find("openssl").isPresent() ? Optional.empty()
                : Optional.of("openssl is not installed: the HTTPS rows need it to make their certificate");
    }

    /** The run's certificate, made on first use. */
    public static BenchCertificate of(Environment env) throws IOException {
        Path dir = Files.createDirectories(env.workDir().resolve("tls"));
        BenchCertificate files = new BenchCertificate(dir.resolve("bench.crt"), dir.resolve("bench.key"));
        if (Files.exists(files.certificate()) && Files.exists(files.privateKey())) {
            return files;
        }
        Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", files.privateKey().toString(), "-out",
                files.certificate().toString(), "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1")).redirectErrorStream(true)
                .redirectOutput(env.logDir().resolve("openssl.log").toFile()).start();
        try {
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                openssl.destroyForcibly();
                throw new IOException("openssl could not make the benchmark's certificate; see "
                        + env.logDir().resolve("openssl.log"));
            }
        } catch (InterruptedException e) {
            openssl.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the benchmark's certificate", e);
        }
        return files;
    }
}
