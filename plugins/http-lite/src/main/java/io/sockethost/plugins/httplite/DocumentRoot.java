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
 * The folder http-lite serves, and the only way to find a file in it. A path is resolved below the root's
 * real path; where it passes a symbolic link it is resolved to its own real path, and unless that lies
 * inside the root the answer is "missing". So symbolic links inside the root work, and those that lead out
 * of it (to a file or a folder) are as absent as a file that does not exist. The root's real path is taken
 * once per connection. Immutable and thread-safe; nothing about the files is cached, so changes
 * on disk show at the next request.
 */
final class DocumentRoot {
    private final Path root;

    private DocumentRoot(Path realRoot) {
        this.root = realRoot;
    }

    /**
     * @param configured the {@code root} setting; a relative path resolves against {@code home}
     * @param home the host's installation folder
     * @throws SockethostException if it is not an existing folder, naming the server and the path
     */
    static DocumentRoot open(String configured, Path home, String serverName) {
        Path path;
        try {
            path = home.resolve(configured).toAbsolutePath().normalize();
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
     * Walks down from the root one {@code lstat} per segment. Below the root's real path, a walk that meets
     * no symbolic link is already a real path inside the root; only a link sends the path through
     * {@link Path#toRealPath} and the containment check. (Resolving every request with {@code realpath}
     * cost a {@code readlink} per component of the root's own path too, on every request.)
     *
     * @param segments plain file names, as {@link TargetPath} checked them (never {@code .} or {@code ..})
     * @return what the path names inside the root
     */
    Resource find(List<String> segments) {
        Path path = root;
        try {
            for (int i = 0; i < segments.size(); i++) {
                path = path.resolve(segments.get(i));
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    return throughLinks(root.resolve(String.join("/", segments)));
                }
                if (i == segments.size() - 1) {
                    return kind(path, attributes);
                }
                if (!attributes.isDirectory()) {
                    return Resource.MISSING;
                }
            }
            return new Resource.Folder(root);
        } catch (IOException | InvalidPathException e) {
            // missing, a name too long, no permission: all look the same to a client
            return Resource.MISSING;
        }
    }

    /**
     * @param folder a folder that {@link #find} returned
     * @param name a plain file name in it
     * @return what the entry is, by the same rules as {@link #find}
     */
    Resource entry(Path folder, String name) {
        try {
            Path path = folder.resolve(name);
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isSymbolicLink() ? throughLinks(path) : kind(path, attributes);
        } catch (IOException | InvalidPathException e) {
            return Resource.MISSING;
        }
    }

    private Resource throughLinks(Path candidate) throws IOException {
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            return Resource.MISSING;
        }
        return kind(real, Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    }

    /** Devices, pipes and sockets are never served: opening a pipe would block the connection. */
    private static Resource kind(Path realPath, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return new Resource.Folder(realPath);
        }
        return attributes.isRegularFile() ? new Resource.RegularFile(realPath, attributes) : Resource.MISSING;
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
