package io.sockethost.plugins.loginauth;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The login-auth server's {@code settings}. Every field is optional; a missing one takes the default named
 * here, and an out-of-range one is refused with a message naming the field. Immutable.
 *
 * @param usersFile the users file ({@code name:pbkdf2-sha256:iterations:salt:hash} lines, written by
 *     {@link AddUser}); a relative path resolves against the host's installation folder
 *     ({@code ServerContext.home()}). Default {@code conf/login-auth.users}
 * @param hideUnknownUsers {@code true}: answer {@code valid} to every user name and fail only at the
 *     password, so that nobody can list the users; default {@code false}, the example's protocol, which
 *     tells whether a user exists
 * @param maxFailures failed passwords per user name, and per client address, that start a lockout;
 *     default 5
 * @param lockoutSeconds how long the first lockout lasts; each further lockout of the same user or address
 *     doubles it, up to {@code maxLockoutSeconds}; default 60
 * @param maxLockoutSeconds the longest lockout, and how long a user or address must stay quiet before its
 *     failures are forgotten; default 900
 * @param maxMessageBytes the longest message (without its line terminator) a client may send; longer
 *     closes the connection; default 1024
 * @param idleTimeoutSeconds how long a client may take to send a whole message; longer closes the
 *     connection; default 60
 * @param goodbyePauseSeconds the pause between {@code valid} and the goodbye line, so that the example's
 *     client, which reads each reply with one {@code recv}, gets them in separate reads; default 0.5
 * @param hashPoolSize how many password checks run at once, for every login-auth server of the host
 *     together (see {@link HashPool}: when servers differ, the smallest wins); 0, the default, means the
 *     number of processors; 0 to 1024
 */
public record LoginAuthSettings(
        String usersFile,
        Boolean hideUnknownUsers,
        Integer maxFailures,
        Double lockoutSeconds,
        Double maxLockoutSeconds,
        Integer maxMessageBytes,
        Double idleTimeoutSeconds,
        Double goodbyePauseSeconds,
        Integer hashPoolSize) {

    /** The users file when {@code settings.usersFile} is not given. */
    public static final String DEFAULT_USERS_FILE = "conf/login-auth.users";

    /** Fills in defaults and checks ranges. */
    public LoginAuthSettings {
        usersFile = usersFile == null ? DEFAULT_USERS_FILE : usersFile;
        hideUnknownUsers = hideUnknownUsers != null && hideUnknownUsers;
        maxFailures = maxFailures == null ? 5 : maxFailures;
        lockoutSeconds = lockoutSeconds == null ? 60.0 : lockoutSeconds;
        maxLockoutSeconds = maxLockoutSeconds == null ? Math.max(900.0, lockoutSeconds) : maxLockoutSeconds;
        maxMessageBytes = maxMessageBytes == null ? 1024 : maxMessageBytes;
        idleTimeoutSeconds = idleTimeoutSeconds == null ? 60.0 : idleTimeoutSeconds;
        goodbyePauseSeconds = goodbyePauseSeconds == null ? 0.5 : goodbyePauseSeconds;
        hashPoolSize = hashPoolSize == null ? 0 : hashPoolSize;
        if (usersFile.isBlank()) {
            throw new IllegalArgumentException("usersFile: must name a file, for example \"" + DEFAULT_USERS_FILE + "\"");
        }
        if (maxFailures < 1 || maxFailures > 1000) {
            throw new IllegalArgumentException("maxFailures: " + maxFailures + " is out of range; allowed: 1 to 1000");
        }
        positive("lockoutSeconds", lockoutSeconds);
        positive("maxLockoutSeconds", maxLockoutSeconds);
        if (maxLockoutSeconds < lockoutSeconds) {
            throw new IllegalArgumentException("maxLockoutSeconds: " + maxLockoutSeconds
                    + " is shorter than lockoutSeconds (" + lockoutSeconds + ")");
        }
        // "userpasswd:" plus a useful password must fit; the upper bound keeps one connection's buffer small.
        if (maxMessageBytes < 64 || maxMessageBytes > 65536) {
            throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " is out of range; allowed: 64 to 65536");
        }
        positive("idleTimeoutSeconds", idleTimeoutSeconds);
        if (!(goodbyePauseSeconds >= 0 && goodbyePauseSeconds <= 10)) {
            throw new IllegalArgumentException("goodbyePauseSeconds: " + goodbyePauseSeconds
                    + " is out of range; allowed: 0 to 10");
        }
        if (hashPoolSize < 0 || hashPoolSize > 1024) {
            throw new IllegalArgumentException("hashPoolSize: " + hashPoolSize
                    + " is out of range; allowed: 0 (the number of processors) to 1024");
        }
    }

    private static void positive(String field, double seconds) {
        if (!(seconds > 0 && seconds <= 86_400 * 365)) {
            throw new IllegalArgumentException(field + ": " + seconds + " is out of range; allowed: more than 0 seconds, at most a year");
        }
    }

    /** The users file, a relative name resolved against the host's installation folder. */
    Path usersPath(Path home) {
        return home.resolve(usersFile);
    }

    Duration lockout() {
        return seconds(lockoutSeconds);
    }

    Duration maxLockout() {
        return seconds(maxLockoutSeconds);
    }

    Duration idleTimeout() {
        return seconds(idleTimeoutSeconds);
    }

    /** @return {@link #hashPoolSize}, with 0 replaced by the number of processors */
    int hashPool() {
        return hashPoolSize == 0 ? Runtime.getRuntime().availableProcessors() : hashPoolSize;
    }

    Duration goodbyePause() {
        return seconds(goodbyePauseSeconds);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
