package io.sockethost.plugins.httplite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import io.sockethost.api.SockethostException;

/**
 * The folder http-lite serves, and the only way to find a file in it. A path is resolved against the root's
 * real path and then to its own real path; unless that lies inside the root, the answer is "missing". So
 * symbolic links inside the root work, and those that lead out of it (to a file or a folder) are as absent
 * as a file that does not exist. Immutable and thread-safe; nothing about the files is cached, so changes
 * on disk show at the next request.
 */
final class DocumentRoot {
    private final Path root;

    private DocumentRoot(Path realRoot) {
        this.root = realRoot;
    }

    /**
     * @param configured the {@code root} setting; relative to the working directory of the host process
     * @throws SockethostException if it is not an existing folder, naming the server and the path
     */
    static DocumentRoot open(String configured, String serverName) {
        Path path;
        try {
            path = Path.of(configured).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new SockethostException("server " + serverName + ": settings.root \"" + configured + "\" is not a path", e);
        }
        try {
            Path real = path.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new SockethostException("server " + serverName + ": settings.root " + path + " is not a folder");
            }
            return new DocumentRoot(real);
        } catch (IOException e) {
            throw new SockethostException("server " + serverName + ": settings.root " + path
                    + " does not exist or cannot be read (" + e + ")", e);
        }
    }

    /** @return the root's real path */
    Path path() {
        return root;
    }

    /**
     * @param segments plain file names, as {@link TargetPath} checked them
     * @return what the path names inside the root
     */
    Resource find(List<String> segments) {
        if (segments.isEmpty()) {
            return new Resource.Folder(root);
        }
        try {
            return classify(root.resolve(String.join("/", segments)));
        } catch (InvalidPathException e) {
            return Resource.MISSING;
        }
    }

    /** @return what an entry of a served folder is, by the same rules as {@link #find} */
    Resource entry(Path folder, String name) {
        try {
            return classify(folder.resolve(name));
        } catch (InvalidPathException e) {
            return Resource.MISSING;
        }
    }

    private Resource classify(Path candidate) {
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root)) {
                return Resource.MISSING;
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                return new Resource.Folder(real);
            }
            // Devices, pipes and sockets are never served: opening a pipe would block the connection.
            return attributes.isRegularFile() ? new Resource.RegularFile(real, attributes) : Resource.MISSING;
        } catch (IOException e) {
            // missing, a dangling or looping link, a name too long, no permission: all look the same to a client
            return Resource.MISSING;
        }
    }

    /** What a path names. */
    sealed interface Resource {
        Missing MISSING = new Missing();

        /** A regular file, with the attributes read when it was found. */
        record RegularFile(Path path, BasicFileAttributes attributes) implements Resource {
        }

        record Folder(Path path) implements Resource {
        }

        record Missing() implements Resource {
        }
    }
}
