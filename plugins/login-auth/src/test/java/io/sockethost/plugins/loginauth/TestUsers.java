package io.sockethost.plugins.loginauth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Writes users files for tests, with few iterations so that tests stay fast. */
final class TestUsers {
    static final int FAST_ITERATIONS = PasswordHash.MIN_ITERATIONS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestUsers() {
    }

    /** @param namesAndPasswords name, password, name, password, ... */
    static Path write(Path file, String... namesAndPasswords) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(UsersFile.HEADER);
        for (int i = 0; i < namesAndPasswords.length; i += 2) {
            lines.add(line(namesAndPasswords[i], namesAndPasswords[i + 1], FAST_ITERATIONS));
        }
        UsersFile.writeAtomically(file, lines);
        return file;
    }

    static String line(String name, String password, int iterations) {
        return name + ":" + PasswordHash.create(password.toCharArray(), iterations, RANDOM).format();
    }
}
