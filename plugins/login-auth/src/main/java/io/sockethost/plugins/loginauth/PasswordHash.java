package io.sockethost.plugins.loginauth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, written as {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
 * with salt and hash in base64. Comparing a password takes the same time whether it matches or not.
 * Immutable and thread-safe; needs nothing but the JDK (the {@link AddUser} command uses it).
 */
final class PasswordHash {
    /** The scheme name at the start of the stored form. */
    static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; about 0.2 s of one core here. */
    static final int DEFAULT_ITERATIONS = 600_000;
    static final int MIN_ITERATIONS = 1_000;
    static final int MAX_ITERATIONS = 100_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** Every derivation in this class loader, which is every check of the host's login-auth servers. */
    static final HashMeter METER = new HashMeter();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * Hashes a password with a fresh random salt.
     *
     * @param password the password; not kept, not cleared
     * @param iterations the PBKDF2 work factor
     * @param random the source of the salt
     * @return the hash
     */
    static PasswordHash create(char[] password, int iterations, SecureRandom random) {
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * A hash that no password matches, costing as much to check as a real one with these iterations: the
     * stand-in for unknown users, so that their check takes as long as a known user's.
     */
    static PasswordHash unmatchable(int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return new PasswordHash(iterations, salt, hash);
    }

    /**
     * Reads the stored form.
     *
     * @param text {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
     * @return the hash
     * @throws IllegalArgumentException saying which part is wrong (never echoing the text)
     */
    static PasswordHash parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected " + SCHEME + ":<iterations>:<salt>:<hash>, found "
                    + parts.length + " fields");
        }
        if (!parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("unknown hash scheme; allowed: " + SCHEME);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations: not a whole number");
        }
        checkIterations(iterations);
        byte[] salt = base64("salt", parts[2]);
        if (salt.length < 8) {
            throw new IllegalArgumentException("salt: " + salt.length + " bytes is too short; at least 8");
        }
        byte[] hash = base64("hash", parts[3]);
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("hash: " + hash.length + " bytes; expected " + HASH_BYTES);
        }
        return new PasswordHash(iterations, salt, hash);
    }

    private static byte[] base64(String field, String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": not base64");
        }
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations: " + iterations + " is out of range; allowed: "
                    + MIN_ITERATIONS + " to " + MAX_ITERATIONS);
        }
    }

    /** @return the stored form, {@code pbkdf2-sha256:<iterations>:<salt>:<hash>} */
    String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /** @return the PBKDF2 work factor */
    int iterations() {
        return iterations;
    }

    /**
     * Checks a password in time that depends on the iterations only, never on how much of it matches.
     *
     * @param password the candidate; not kept, not cleared
     * @return whether it is the password this hash was made from
     */
    boolean matches(char[] password) {
        byte[] candidate = derive(password, salt, iterations, hash.length);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        METER.begin();
        try {
            // A factory per call: SecretKeyFactory is not thread-safe, and the lookup is tiny next to PBKDF2.
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java 17 runtime, but this one lacks it", e);
        } finally {
            METER.end();
            spec.clearPassword();
        }
    }

    /** Never shows salt or hash. */
    @Override
    public String toString() {
        return SCHEME + " (" + iterations + " iterations)";
    }
}
