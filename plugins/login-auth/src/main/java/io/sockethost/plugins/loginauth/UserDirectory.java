package io.sockethost.plugins.loginauth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of one server, read from its users file and read again whenever the file changes (checked on
 * every use by modification time, size and file key: one {@code stat}, no watcher thread). A missing file
 * means no users and is logged once; a malformed or unreadable file is logged with file and line and the
 * users read before stay in force.
 *
 * <p>Thread-safe: lookups read an immutable snapshot; one thread at a time reloads.
 */
final class UserDirectory {
    private static final Logger log = LoggerFactory.getLogger(UserDirectory.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the file looked like when it was last read; {@code MISSING} when it did not exist. */
    private record Stamp(Object fileKey, FileTime modified, long size) {
        static final Stamp MISSING = new Stamp(null, null, -1);
        static final Stamp NEVER = new Stamp(null, null, -2);
    }

    private final String serverName;
    private final Path file;
    private volatile Stamp seen = Stamp.NEVER;
    private volatile Users users = Users.of(Map.of());
    private volatile String problem;

    UserDirectory(String serverName, Path file) {
        this.serverName = serverName;
        this.file = file;
    }

    /**
     * Checks a user's password in the same time whether the user exists or not: an unknown name is checked
     * against a stand-in hash of the same cost, and both answers are combined without short-circuiting.
     *
     * @param password not kept, not cleared
     * @return whether the user exists and the password is theirs
     */
    boolean verify(String name, char[] password) {
        return current().verify(name, password);
    }

    /** @return whether a user of this name exists now */
    boolean exists(String name) {
        return current().byName().containsKey(name);
    }

    /** @return the users now, after reading the file again if it changed */
    Users current() {
        Stamp now = stamp();
        if (!now.equals(seen)) {
            synchronized (this) {
                if (!now.equals(seen)) {
                    reload(now);
                }
            }
        }
        return users;
    }

    /** @return why the last read of the file was refused, or {@code null} if it was used */
    String problem() {
        return problem;
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return Stamp.MISSING;
        } catch (IOException e) {
            // No permission, say: a stamp of its own, so the read fails once, is logged, and the last users stay.
            return new Stamp(e.toString(), null, -3);
        }
    }

    /** The stamp is taken before reading, so a change during the read is seen, and read, on the next use. */
    private void reload(Stamp now) {
        seen = now;
        if (now == Stamp.MISSING) {
            users = Users.of(Map.of());
            problem = null;
            log.warn("server {}: users file {} does not exist, so no user can log in; add one with the AddUser command",
                    serverName, file.toAbsolutePath());
            return;
        }
        try {
            users = Users.of(UsersFile.read(file));
            problem = null;
            log.info("server {}: read {} user(s) from {}", serverName, users.byName().size(), file.toAbsolutePath());
        } catch (UsersFileException e) {
            refuse(e.getMessage());
        } catch (NoSuchFileException e) {
            // Deleted between stat and read; the next use sees it missing.
            seen = Stamp.NEVER;
        } catch (IOException e) {
            refuse(file.toAbsolutePath() + ": cannot read: " + e);
        }
    }

    private void refuse(String why) {
        problem = why;
        log.error("server {}: users file not used: {}; keeping the {} user(s) read before", serverName, why,
                users.byName().size());
    }

    /**
     * A snapshot of the users, with the stand-in hash for unknown names.
     *
     * @param byName user name to hash
     * @param standIn no password matches it; it costs what most users' hashes cost
     */
    record Users(Map<String, PasswordHash> byName, PasswordHash standIn) {

        static Users of(Map<String, PasswordHash> byName) {
            return new Users(byName, PasswordHash.unmatchable(commonIterations(byName), RANDOM));
        }

        /** The iteration count most users have (ties: the larger), so an unknown name costs what most names cost. */
        private static int commonIterations(Map<String, PasswordHash> byName) {
            return byName.values().stream()
                    .collect(Collectors.groupingBy(PasswordHash::iterations, Collectors.counting()))
                    .entrySet().stream()
                    .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey)
                    .orElse(PasswordHash.DEFAULT_ITERATIONS);
        }

        boolean verify(String name, char[] password) {
            PasswordHash known = byName.get(name);
            boolean matches = Objects.requireNonNullElse(known, standIn).matches(password);
            return known != null & matches;
        }
    }
}
