package io.sockethost.core.tls;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files openssl and certbot write: a certificate chain ({@code BEGIN CERTIFICATE} blocks, the
 * server's own first) and an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}). Every failure is a
 * {@link TlsFileException} whose message tells the operator what to do. Stateless.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** Key algorithms a PKCS#8 key may hold, tried after the certificate's own. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    /** @return the certificates of the file, in order; never empty */
    static List<X509Certificate> certificates(Path file) throws TlsFileException {
        String text = TlsFiles.readText(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(text)) {
                if (block.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der(file))));
                }
            }
        } catch (CertificateException e) {
            throw new TlsFileException(file + " holds a certificate that cannot be read: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new TlsFileException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the "
                    + "certificate chain, e.g. certbot's fullchain.pem");
        }
        return chain;
    }

    /**
     * @param algorithm the algorithm of the certificate's public key, tried first
     * @return the file's one private key
     */
    static PrivateKey privateKey(Path file, String algorithm) throws TlsFileException {
        String text = TlsFiles.readText(file);
        List<Block> blocks = blocks(text);
        Block pkcs8 = null;
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY" -> pkcs8 = block;
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw new TlsFileException(file + " holds a "
                        + (block.label().startsWith("EC") ? "SEC1" : "PKCS#1") + " key (-----BEGIN " + block.label()
                        + "-----), which Java cannot read; convert it to PKCS#8 with: openssl pkey -in " + file + " -out "
                        + file + ".pk8  and give that file");
                case "ENCRYPTED PRIVATE KEY" -> throw new TlsFileException(file + " holds an encrypted key, and a "
                        + "password is never written into the configuration; decrypt it with: openssl pkey -in " + file
                        + " -out " + file + ".pk8  (and keep that file readable by the host's user only), or use a "
                        + "PKCS#12 keyStore with keyStorePasswordEnv or keyStorePasswordFile");
                default -> { } // certificates or parameters beside the key: not ours to judge
            }
        }
        if (pkcs8 == null) {
            throw new TlsFileException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----); give the "
                    + "certificate's key, e.g. certbot's privkey.pem");
        }
        byte[] der = pkcs8.der(file);
        Set<String> algorithms = new LinkedHashSet<>();
        algorithms.add(algorithm);
        algorithms.addAll(KEY_ALGORITHMS);
        for (String candidate : algorithms) {
            try {
                return KeyFactory.getInstance(candidate).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new TlsFileException(file + " holds a PKCS#8 key of an algorithm this Java cannot use (tried "
                + String.join(", ", algorithms) + ")");
    }

    private record Block(String label, String base64) {
        byte[] der(Path file) throws TlsFileException {
            try {
                return Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new TlsFileException(file + ": the " + label + " block is not valid Base64: " + e.getMessage());
            }
        }
    }

    private static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }
}
