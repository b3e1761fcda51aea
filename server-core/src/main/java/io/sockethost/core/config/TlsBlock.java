package io.sockethost.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.api.Transport;
import io.sockethost.core.config.ServerDeclaration.TlsDeclaration;

/**
 * Validates a server's {@code tls} block as written (which fields, which combinations, which transport)
 * and resolves its paths; whether the files exist and fit together is for the loader. Stateless.
 */
final class TlsBlock {
    /** How long a client may take over the whole handshake when the block does not say. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private TlsBlock() {
    }

    /**
     * Removes every password-like field other than the two password sources from a server's {@code tls}
     * object, reporting each with the reason, so that the binder does not report it a second time as merely
     * unknown.
     *
     * @param server the server block; its {@code tls} object is changed in place
     */
    static void rejectInlinePasswords(JsonNode server, RecordBinder.Problems problems) {
        if (!(server.get("tls") instanceof ObjectNode tls)) {
            return;
        }
        for (Iterator<String> names = tls.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.contains("password") || lower.contains("passphrase") || lower.equals("pass"))
                    && !name.equals("keyStorePasswordEnv") && !name.equals("keyStorePasswordFile")) {
                problems.add("tls." + name, "a password is never written into the configuration, which is "
                        + "readable by everyone who can read conf/, shown by `sockethost config` and often committed; "
                        + "give keyStorePasswordEnv (the name of an environment variable holding it) or "
                        + "keyStorePasswordFile (a file only the host's user can read)");
                names.remove();
            }
        }
    }

    /** @return the resolved block, or {@code null} if there is none or it has problems (each reported) */
    static TlsConfig resolve(TlsDeclaration d, Transport transport, Path baseDir, RecordBinder.Problems problems) {
        if (d == null) {
            return null;
        }
        boolean ok = true;
        if (transport != Transport.TCP) {
            problems.add("tls", "TLS is served on tcp servers only; this server's transport is " + transport
                    + " (a Unix socket never leaves the machine, and TLS over udp would be DTLS)");
            ok = false;
        }
        boolean pem = d.certificate() != null || d.privateKey() != null;
        boolean store = d.keyStore() != null;
        if (pem && store) {
            problems.add("tls", "give either certificate and privateKey (PEM files) or keyStore (PKCS#12), not both "
                    + "(an override merges into the tls block it changes or copies: remove the other with null, e.g. "
                    + "\"certificate\": null, \"privateKey\": null)");
            return null;
        }
        if (!pem && !store) {
            problems.add("tls", "missing the key and certificate; give certificate and privateKey (PEM files, e.g. "
                    + "certbot's fullchain.pem and privkey.pem) or keyStore (PKCS#12) with keyStorePasswordEnv or "
                    + "keyStorePasswordFile");
            return null;
        }
        if (pem) {
            if (d.certificate() == null) {
                problems.add("tls.certificate", "missing; give the PEM file of the certificate chain (the server's "
                        + "certificate first, e.g. certbot's fullchain.pem) to go with privateKey");
                ok = false;
            }
            if (d.privateKey() == null) {
                problems.add("tls.privateKey", "missing; give the PEM file of the certificate's private key "
                        + "(e.g. certbot's privkey.pem)");
                ok = false;
            }
            for (String field : new String[] {"keyStorePasswordEnv", "keyStorePasswordFile"}) {
                if ((field.equals("keyStorePasswordEnv") ? d.keyStorePasswordEnv() : d.keyStorePasswordFile()) != null) {
                    problems.add("tls." + field, "only used with keyStore; a PEM privateKey is not encrypted");
                    ok = false;
                }
            }
        } else {
            boolean env = d.keyStorePasswordEnv() != null;
            boolean file = d.keyStorePasswordFile() != null;
            if (env == file) {
                problems.add("tls", env ? "give one of keyStorePasswordEnv and keyStorePasswordFile, not both"
                        : "keyStore needs its password: give keyStorePasswordEnv (an environment variable's name) or "
                        + "keyStorePasswordFile (a file holding it)");
                ok = false;
            }
            if (env && !ENV_NAME.matcher(d.keyStorePasswordEnv()).matches()) {
                problems.add("tls.keyStorePasswordEnv", "\"" + d.keyStorePasswordEnv() + "\" is not an environment "
                        + "variable's name; allowed: letters, digits and '_', not starting with a digit");
                ok = false;
            }
        }
        Duration handshake = HANDSHAKE_TIMEOUT;
        if (d.handshakeTimeout() != null) {
            double s = d.handshakeTimeout();
            if (Double.isNaN(s) || s <= 0 || s > 3600) {
                problems.add("tls.handshakeTimeout", "value " + s + " is out of range; allowed: more than 0 to 3600 seconds");
                ok = false;
            } else {
                handshake = Duration.ofNanos(Math.round(s * 1e9));
            }
        }
        Path certificate = path(d.certificate(), "tls.certificate", baseDir, problems);
        Path key = path(d.privateKey(), "tls.privateKey", baseDir, problems);
        Path keyStore = path(d.keyStore(), "tls.keyStore", baseDir, problems);
        Path passwordFile = path(d.keyStorePasswordFile(), "tls.keyStorePasswordFile", baseDir, problems);
        if (!ok || (d.certificate() != null && certificate == null) || (d.privateKey() != null && key == null)
                || (d.keyStore() != null && keyStore == null) || (d.keyStorePasswordFile() != null && passwordFile == null)) {
            return null;
        }
        return new TlsConfig(certificate, key, keyStore, d.keyStorePasswordEnv(), passwordFile, handshake);
    }

    /** A file path as the other path settings take it: relative ones against the installation folder. */
    private static Path path(String text, String field, Path baseDir, RecordBinder.Problems problems) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            problems.add(field, "empty; give a file path (relative paths resolve against the installation folder)");
            return null;
        }
        try {
            return baseDir.toAbsolutePath().resolve(text).normalize();
        } catch (InvalidPathException e) {
            problems.add(field, "\"" + text + "\" is not a file path: " + e.getReason());
            return null;
        }
    }
}
