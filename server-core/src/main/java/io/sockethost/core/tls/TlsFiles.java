package io.sockethost.core.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files a {@code tls} block names, with messages an operator can act on. Stateless. */
final class TlsFiles {
    /** Certificates, keys and key stores are a few KiB; anything far larger is the wrong file. */
    private static final long MAX_SIZE = 1 << 20;

    private TlsFiles() {
    }

    static byte[] read(Path file) throws TlsFileException {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsFileException(file + " is a folder; give a file");
            }
            if (Files.size(file) > MAX_SIZE) {
                throw new TlsFileException(file + " is larger than 1 MiB: not a key or certificate file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsFileException("file " + file + " does not exist (relative paths resolve against the "
                    + "installation folder)");
        } catch (AccessDeniedException e) {
            throw new TlsFileException("cannot read " + file + ": permission denied for the host's user");
        } catch (IOException e) {
            throw new TlsFileException("cannot read " + file + ": " + e);
        }
    }

    static String readText(Path file) throws TlsFileException {
        return new String(read(file), StandardCharsets.US_ASCII);
    }

    /** The first line of a password file, without its line end (as {@code echo secret > file} writes it). */
    static char[] password(Path file) throws TlsFileException {
        String text = new String(read(file), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.toCharArray();
    }
}
