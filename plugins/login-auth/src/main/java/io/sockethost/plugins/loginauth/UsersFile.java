package io.sockethost.plugins.loginauth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users file: UTF-8 text, one user per line as {@code <name>:pbkdf2-sha256:<iterations>:<salt>:<hash>};
 * blank lines and lines starting with {@code #} are ignored. A text format rather than JSON so that the
 * {@link AddUser} command needs nothing but the JDK, and so that every error has a line number.
 *
 * <p>Stateless; every method is thread-safe. Error messages name the file and line, never echo a line's
 * content (a mistaken line could hold a plaintext password).
 */
final class UsersFile {
    /** What a user name may be: no separator, blank or control character, and no leading {@code #}. */
    static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}:#][^\\s\\p{Cntrl}:]{0,63}");

    static final String HEADER = "# login-auth users, one per line: name:" + PasswordHash.SCHEME
            + ":<iterations>:<salt>:<hash>. Change with the AddUser command.";

    private UsersFile() {
    }

    /**
     * Reads and checks the whole file.
     *
     * @return user name to hash, unmodifiable
     * @throws UsersFileException if a line is malformed or the file is not UTF-8
     * @throws IOException if it cannot be read (including {@link java.nio.file.NoSuchFileException})
     */
    static Map<String, PasswordHash> read(Path file) throws IOException, UsersFileException {
        return parse(file, lines(file));
    }

    static List<String> lines(Path file) throws IOException, UsersFileException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UsersFileException(file, 0, "not UTF-8 text");
        }
    }

    /**
     * Checks lines as they would be read from {@code file}.
     *
     * @param file named in errors only
     * @return user name to hash, unmodifiable
     * @throws UsersFileException at the first malformed line
     */
    static Map<String, PasswordHash> parse(Path file, List<String> lines) throws UsersFileException {
        Map<String, PasswordHash> users = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            if (colon < 0 || !NAME.matcher(name).matches()) {
                throw new UsersFileException(file, lineNumber, "expected <name>:" + PasswordHash.SCHEME
                        + ":<iterations>:<salt>:<hash> with a name of 1 to 64 characters, no blanks or ':'");
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new UsersFileException(file, lineNumber, "user " + name + ": " + e.getMessage());
            }
            Integer earlier = lineOf.putIfAbsent(name, lineNumber);
            if (earlier != null) {
                throw new UsersFileException(file, lineNumber, "user " + name + " is already defined at line " + earlier);
            }
            users.put(name, hash);
        }
        return Collections.unmodifiableMap(users);
    }

    /**
     * The file's lines with one user added or its hash replaced, everything else (comments, order, other
     * users) kept; a new file starts with a header comment.
     *
     * @throws UsersFileException if the existing lines are malformed: nothing is rewritten then
     */
    static List<String> withUser(Path file, List<String> lines, String name, PasswordHash hash) throws UsersFileException {
        Map<String, PasswordHash> existing = parse(file, lines);
        List<String> result = new ArrayList<>(lines.isEmpty() ? List.of(HEADER) : lines);
        String entry = name + ":" + hash.format();
        if (existing.containsKey(name)) {
            String prefix = name + ":";
            result.replaceAll(line -> line.strip().startsWith(prefix) ? entry : line);
        } else {
            result.add(entry);
        }
        return result;
    }

    /**
     * Replaces the file in one step (a temporary file beside it, then a rename), so that a reader sees the
     * old content or the new, never half of it. A new file is readable by its owner only; a replaced one
     * keeps its permissions.
     */
    static void writeAtomically(Path file, List<String> lines) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // createTempFile makes the file owner-only (rw-------) where the file system has POSIX permissions.
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            if (posix != null && Files.exists(target)) {
                posix.setPermissions(Files.getPosixFilePermissions(target));
            }
            Files.write(temp, lines, StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
