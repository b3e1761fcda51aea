package io.sockethost.plugins.httplite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.plugins.httplite.DocumentRoot.Resource;

/**
 * Answers GET and HEAD from the document root: files with their validators, conditional (304) and range
 * (206, 416) requests; folders by their index file, a listing when enabled, or a redirect to the URL with
 * the trailing slash; 400 for unsafe paths and 404 for everything the root does not serve. One per
 * connection.
 */
final class StaticFiles {
    private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);
    private static final byte[] NO_BODY = new byte[0];

    private final DocumentRoot root;
    private final HttpLiteSettings settings;
    /** The server's kept files, or null when {@code cacheFiles} is off. */
    private final FileCache cache;
    private final ResponseWriter writer;
    private final String where;

    /** @param where names the server and client in log lines */
    StaticFiles(DocumentRoot root, HttpLiteSettings settings, FileCache cache, ResponseWriter writer, String where) {
        this.root = root;
        this.settings = settings;
        this.cache = cache;
        this.writer = writer;
        this.where = where;
    }

    void serve(RequestHead head, boolean keepAlive) throws IOException {
        boolean withBody = head.method().equals("GET");
        TargetPath path;
        try {
            path = TargetPath.parse(head.target());
        } catch (HttpException e) {
            log.debug("{}: refused path \"{}\": {}", where, LogText.escape(head.target()), e.getMessage());
            writer.start(e.status(), head.version(), keepAlive).sendStatusText(withBody);
            return;
        }
        Resource resource = root.find(path.segments());
        if (resource instanceof Resource.Folder folder) {
            if (!path.directory()) {
                String location = path.localRawPath() + "/" + (path.query() == null ? "" : "?" + path.query());
                writer.start(HttpStatus.MOVED_PERMANENTLY, head.version(), keepAlive).header("Location", location)
                        .sendStatusText(withBody);
            } else if (root.entry(folder.path(), settings.indexFile()) instanceof Resource.RegularFile index) {
                file(head, keepAlive, index);
            } else if (settings.listDirectories()) {
                String shown = path.segments().isEmpty() ? "/" : "/" + String.join("/", path.segments()) + "/";
                writer.start(HttpStatus.OK, head.version(), keepAlive).header("Content-Type", "text/html; charset=utf-8")
                        .send(DirectoryListing.page(root, folder.path(), shown), withBody);
            } else {
                notFound(head, keepAlive, withBody);
            }
        } else if (resource instanceof Resource.RegularFile file && !path.directory()) {
            file(head, keepAlive, file);
        } else {
            notFound(head, keepAlive, withBody);
        }
    }

    private void file(RequestHead head, boolean keepAlive, Resource.RegularFile file) throws IOException {
        boolean withBody = head.method().equals("GET");
        BasicFileAttributes attributes = file.attributes();
        FileCache keeper = cache != null && cache.keeps(attributes) ? cache : null;
        FileCache.Kept kept = keeper == null ? null : keeper.get(file.path(), attributes);
        Validators validators = kept != null ? kept.validators() : Validators.of(attributes);
        RequestHead.Conditions conditions = head.conditions();
        if (conditions != RequestHead.Conditions.NONE && validators.notModified(conditions)) {
            writer.start(HttpStatus.NOT_MODIFIED, head.version(), keepAlive).header("ETag", validators.etag())
                    .header("Last-Modified", HttpDates.format(validators.lastModified())).send(NO_BODY, false);
            return;
        }
        long size = attributes.size();
        // Range is defined for GET only; HEAD must ignore it (RFC 9110 14.2).
        ByteRange range = withBody && conditions.range() != null && validators.rangeApplies(conditions)
                ? ByteRange.parse(conditions.range(), size) : ByteRange.WHOLE;
        if (range instanceof ByteRange.Unsatisfiable) {
            writer.start(HttpStatus.RANGE_NOT_SATISFIABLE, head.version(), keepAlive)
                    .header("Content-Range", "bytes */" + size).sendStatusText(withBody);
            return;
        }
        if (kept != null) {
            startFile(head, keepAlive, kept.headLines(), range, size);
            sendKept(kept.bytes(), range, withBody);
            return;
        }
        FileChannel channel;
        try {
            // NOFOLLOW_LINKS: the path is already real; a link swapped in since is refused, not followed.
            channel = FileChannel.open(file.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            // no permission, or gone or turned into a link since it was found: all a client may know is 404
            log.debug("{}: cannot open {}: {}", where, LogText.escape(file.path()), LogText.escape(e.toString()));
            notFound(head, keepAlive, withBody);
            return;
        } catch (IOException e) {
            log.warn("{}: cannot open {}: {}", where, LogText.escape(file.path()), LogText.escape(e.toString()));
            writer.start(HttpStatus.INTERNAL_SERVER_ERROR, head.version(), keepAlive).sendStatusText(withBody);
            return;
        }
        try (channel) {
            byte[] headLines = fileHeadLines(file, validators);
            if (keeper != null) {
                kept = keeper.load(file.path(), attributes, channel, validators, headLines);
            }
            startFile(head, keepAlive, headLines, range, size);
            if (kept != null) {
                sendKept(kept.bytes(), range, withBody);
            } else if (range instanceof ByteRange.Part part) {
                writer.sendFile(channel, part.first(), part.length(), withBody);
            } else {
                writer.sendFile(channel, 0, size, withBody);
            }
        }
    }

    /** The head lines a file's 200 and 206 responses share, which {@link FileCache} keeps with the file. */
    private byte[] fileHeadLines(Resource.RegularFile file, Validators validators) {
        String lines = "Content-Type: " + ContentTypes.of(file.path().getFileName().toString(), settings.contentTypes())
                + "\r\nLast-Modified: " + HttpDates.format(validators.lastModified())
                + "\r\nETag: " + validators.etag()
                + "\r\nAccept-Ranges: bytes\r\n";
        return lines.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head of a file's 200 or 206 response, up to its Content-Length. */
    private void startFile(RequestHead head, boolean keepAlive, byte[] headLines, ByteRange range, long size) {
        writer.start(range instanceof ByteRange.Part ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK, head.version(), keepAlive)
                .lines(headLines);
        if (range instanceof ByteRange.Part part) {
            writer.header("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + size);
        }
    }

    private void sendKept(byte[] kept, ByteRange range, boolean withBody) throws IOException {
        if (range instanceof ByteRange.Part part) {
            writer.sendBytes(kept, (int) part.first(), (int) part.length(), withBody);
        } else {
            writer.sendBytes(kept, 0, kept.length, withBody);
        }
    }

    private void notFound(RequestHead head, boolean keepAlive, boolean withBody) throws IOException {
        writer.start(HttpStatus.NOT_FOUND, head.version(), keepAlive).sendStatusText(withBody);
    }
}
