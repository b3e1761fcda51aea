package io.sockethost.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A tcp server's validated {@code tls} block: where its key and certificate chain live, as absolute paths.
 * Either {@code certificate} and {@code privateKey} are set (PEM files, as openssl and certbot write them) or
 * {@code keyStore} with exactly one password source; never both. What the files hold is checked when they
 * are loaded ({@code io.sockethost.core.tls}), when the configuration is checked and again each time a
 * server starts or reloads. Immutable.
 *
 * @param certificate PEM file with the server's certificate first, then its intermediates; or {@code null}
 * @param privateKey PEM file with the certificate's unencrypted PKCS#8 private key; or {@code null}
 * @param keyStore PKCS#12 file holding one private key with its certificate chain; or {@code null}
 * @param keyStorePasswordEnv name of the environment variable holding the key store's password; or {@code null}
 * @param keyStorePasswordFile file whose first line is the key store's password; or {@code null}
 * @param handshakeTimeout how long a client may take over the whole handshake
 */
public record TlsConfig(Path certificate, Path privateKey, Path keyStore, String keyStorePasswordEnv,
                        Path keyStorePasswordFile, Duration handshakeTimeout) {

    /** @return whether the key and chain come from a PKCS#12 key store rather than PEM files */
    public boolean usesKeyStore() {
        return keyStore != null;
    }
}
