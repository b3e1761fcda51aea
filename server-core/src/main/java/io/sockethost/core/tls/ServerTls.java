package io.sockethost.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.sockethost.core.config.ServerConfigResolver.PluginCheck;
import io.sockethost.core.config.TlsConfig;

/**
 * A tcp server's TLS: the key and certificate chain of its {@code tls} block, loaded and checked, in an
 * {@link SSLContext} that speaks TLS 1.3 and 1.2 only, with the JDK's default cipher suites that are forward
 * secret and authenticated ({@link #modern}), and asks for no client certificate. {@link #layer} puts a
 * server-side {@link SSLSocket} over a connection. Immutable and thread-safe; a reload builds a new one.
 */
public final class ServerTls {
    /** TLS 1.0 and 1.1 are broken (RFC 8996); SSLv3 long gone. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /**
     * The JDK's server-side switch for TLS 1.2 renegotiations a client starts, read once when the first server
     * handshake runs.
     */
    static final String REJECT_CLIENT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static {
        // A TLS 1.2 client may ask for a new handshake at any time, outside handshakeTimeout, each costing the
        // server a key exchange: nginx refuses them too. An operator's own -D setting is kept.
        if (System.getProperty(REJECT_CLIENT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_CLIENT_RENEGOTIATION, "true");
        }
    }

    /** Only ever inside this process: the in-memory key store needs some password. */
    private static final char[] MEMORY_PASSWORD = "sockethost".toCharArray();

    private final SSLContext context;
    private final String[] cipherSuites;
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private ServerTls(SSLContext context, List<X509Certificate> chain, PrivateKey key) {
        this.context = context;
        this.chain = List.copyOf(chain);
        this.key = key;
        this.cipherSuites = modern(context.getDefaultSSLParameters().getCipherSuites());
    }

    /**
     * The JDK's default suites that are forward secret and authenticated encryption (Mozilla's "intermediate"
     * choice): TLS 1.3's, and ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2. A JDK whose defaults hold
     * none of them keeps its defaults rather than serve nothing.
     */
    static String[] modern(String[] defaults) {
        String[] modern = Arrays.stream(defaults)
                .filter(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")
                        || s.startsWith("TLS_ECDHE_") && (s.contains("_GCM_") || s.contains("_CHACHA20_")))
                .toArray(String[]::new);
        return modern.length == 0 ? defaults : modern;
    }

    /**
     * Loads the files of a {@code tls} block and builds the context.
     *
     * @throws IllegalArgumentException naming every problem, when a file is missing or unreadable, the key
     *     does not fit the certificate, or the key store's password is wrong
     */
    public static ServerTls load(TlsConfig config) {
        List<String> errors = new ArrayList<>();
        ServerTls tls = load(config, new PluginCheck.Problems() {
            @Override
            public void error(String field, String message) {
                errors.add(field + ": " + message);
            }

            @Override
            public void warning(String field, String message) {
                // reported by the configuration check, once; a start does not repeat it
            }
        });
        if (tls == null) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return tls;
    }

    /**
     * Loads and checks the files, reporting every problem at once with the {@code tls} field that names the
     * file; an expired or not yet valid certificate is a warning (the host starts: clients refuse it, but
     * the other servers and a renewal should not wait for a restart).
     *
     * @return the built TLS, or {@code null} if there were errors
     */
    public static ServerTls load(TlsConfig config, PluginCheck.Problems problems) {
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        String keyField;
        String chainField;
        if (config.usesKeyStore()) {
            chainField = "tls.keyStore";
            keyField = "tls.keyStore";
            String passwordField = config.keyStorePasswordEnv() != null ? "tls.keyStorePasswordEnv"
                    : "tls.keyStorePasswordFile";
            char[] password = null;
            try {
                password = password(config);
            } catch (TlsFileException e) {
                problems.error(passwordField, e.getMessage());
            }
            byte[] store = null;
            try {
                store = TlsFiles.read(config.keyStore());
            } catch (TlsFileException e) {
                problems.error(chainField, e.getMessage());
            }
            if (password == null || store == null) {
                return null;
            }
            try {
                KeyStore.PrivateKeyEntry entry = keyStoreEntry(config.keyStore(), store, password);
                key = entry.getPrivateKey();
                chain = Arrays.stream(entry.getCertificateChain()).map(X509Certificate.class::cast).toList();
            } catch (WrongPassword e) {
                problems.error(passwordField, e.getMessage());
                return null;
            } catch (TlsFileException e) {
                problems.error(chainField, e.getMessage());
                return null;
            } finally {
                Arrays.fill(password, '\0');
            }
        } else {
            chainField = "tls.certificate";
            keyField = "tls.privateKey";
            try {
                chain = PemFiles.certificates(config.certificate());
            } catch (TlsFileException e) {
                problems.error(chainField, e.getMessage());
            }
            try {
                key = PemFiles.privateKey(config.privateKey(), chain == null ? "RSA" : chain.get(0).getPublicKey().getAlgorithm());
            } catch (TlsFileException e) {
                problems.error(keyField, e.getMessage());
            }
            if (chain == null || key == null) {
                return null;
            }
            if (!matches(key, chain.get(0).getPublicKey())) {
                problems.error(keyField, config.privateKey() + " is not the key of the certificate in "
                        + config.certificate() + " (" + chain.get(0).getSubjectX500Principal().getName()
                        + "); give the key that was made with it (certbot: privkey.pem of the same folder)");
                return null;
            }
        }
        warnIfNotValidNow(chain.get(0), chainField, problems);
        try {
            return new ServerTls(context(key, chain), chain, key);
        } catch (GeneralSecurityException | IOException e) {
            problems.error(keyField, "cannot build a TLS context from this key and certificate: " + e);
            return null;
        }
    }

    /**
     * A server-side TLS socket over an accepted connection; nothing is read or written until its handshake,
     * which the caller starts on the thread that serves the connection.
     *
     * @param transport the connection (closed when the TLS socket is)
     * @param consumed bytes already read from the connection that belong to the handshake, or {@code null}
     */
    public SSLSocket layer(Socket transport, InputStream consumed) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(transport, consumed, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(cipherSuites);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        socket.setSSLParameters(parameters);
        socket.setUseClientMode(false);
        return socket;
    }

    /** @return whether the other holds the same key and certificates (a reload then changes nothing) */
    public boolean sameAs(ServerTls other) {
        return other != null && Arrays.equals(key.getEncoded(), other.key.getEncoded()) && chain.equals(other.chain);
    }

    /** @return the server certificate's subject and end of validity, for log lines */
    public String summary() {
        X509Certificate first = chain.get(0);
        return first.getSubjectX500Principal().getName() + ", valid until " + first.getNotAfter().toInstant();
    }

    private static char[] password(TlsConfig config) throws TlsFileException {
        if (config.keyStorePasswordEnv() != null) {
            String value = System.getenv(config.keyStorePasswordEnv());
            if (value == null) {
                throw new TlsFileException("environment variable " + config.keyStorePasswordEnv() + " is not set in "
                        + "the host's environment; set it to the password of " + config.keyStore());
            }
            return value.toCharArray();
        }
        return TlsFiles.password(config.keyStorePasswordFile());
    }

    /** The wrong password for a key store: reported against the field that supplied it. */
    private static final class WrongPassword extends Exception {
        private static final long serialVersionUID = 1L;

        WrongPassword(String message) {
            super(message, null, false, false);
        }
    }

    private static KeyStore.PrivateKeyEntry keyStoreEntry(Path file, byte[] bytes, char[] password)
            throws TlsFileException, WrongPassword {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new java.io.ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new WrongPassword("wrong password for the key store " + file);
            }
            throw new TlsFileException(file + " is not a PKCS#12 key store (" + e.getMessage() + "); make one with: "
                    + "openssl pkcs12 -export -in fullchain.pem -inkey privkey.pem -out " + file.getFileName());
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("cannot read the key store " + file + ": " + e);
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new TlsFileException(file + " holds " + keys.size() + " private keys" + (keys.isEmpty() ? "" : " ("
                        + String.join(", ", keys) + ")") + "; a server's key store holds exactly one, with its "
                        + "certificate chain");
            }
            Key key = store.getKey(keys.get(0), password);
            Certificate[] chain = store.getCertificateChain(keys.get(0));
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0
                    || !(chain[0] instanceof X509Certificate)) {
                throw new TlsFileException(file + ": the entry \"" + keys.get(0) + "\" has no private key with an "
                        + "X.509 certificate chain");
            }
            return new KeyStore.PrivateKeyEntry(privateKey, chain);
        } catch (UnrecoverableKeyException e) {
            throw new WrongPassword("the key in " + file + " has another password than the key store; give both "
                    + "the same password (openssl pkcs12 -export does)");
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("cannot read the key store " + file + ": " + e);
        }
    }

    /** Signs with the key and verifies with the certificate's public key: works for every key type. */
    private static boolean matches(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(certificateKey.getAlgorithm()); // RSASSA-PSS: the handshake will tell
        }
        try {
            byte[] probe = "sockethost key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static void warnIfNotValidNow(X509Certificate certificate, String field, PluginCheck.Problems problems) {
        Instant now = Instant.now();
        String subject = certificate.getSubjectX500Principal().getName();
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            problems.warning(field, "the certificate " + subject + " expired on " + certificate.getNotAfter().toInstant()
                    + "; clients will refuse it until it is renewed (then reload)");
        } else if (now.isBefore(certificate.getNotBefore().toInstant())) {
            problems.warning(field, "the certificate " + subject + " is not valid before "
                    + certificate.getNotBefore().toInstant() + "; clients will refuse it until then (check the clock)");
        }
    }

    private static SSLContext context(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(store, MEMORY_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null); // no trust managers: no client certificates are asked for
        return context;
    }
}
