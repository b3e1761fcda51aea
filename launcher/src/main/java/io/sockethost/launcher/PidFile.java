package io.sockethost.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code run/sockethost.pid}: the process id of the host that serves from an installation, written once
 * it serves and removed when it stops, so that {@code sockethost reload} can find it. Written atomically
 * (a temporary file renamed), so a reader never sees half a number. Not thread-safe; one per host.
 */
final class PidFile {
    static final String NAME = "sockethost.pid";

    private final Path path;

    PidFile(Path home) {
        this.path = home.resolve("run").resolve(NAME);
    }

    Path path() {
        return path;
    }

    /** Writes this process's id, replacing a file a crashed host left. */
    void write() throws IOException {
        Files.createDirectories(path.getParent());
        Path temp = path.resolveSibling(NAME + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(temp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the file if it still names this process (a newer host may have replaced it). */
    void remove() {
        if (read().filter(pid -> pid == ProcessHandle.current().pid()).isPresent()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the host is stopping; a stale pid file is detected by the next reader
            }
        }
    }

    /** @return the id in the file, if there is a readable one */
    Optional<Long> read() {
        try {
            return Optional.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
