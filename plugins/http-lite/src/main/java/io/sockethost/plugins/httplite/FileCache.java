package io.sockethost.plugins.httplite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of small files, kept between requests so that serving one again costs no open, read or close.
 * An entry is used only while the file's attributes, read anew for every request to find the file, still
 * match the ones it was read with (file key, size, modification time): a file replaced or rewritten is read
 * again. Files larger than {@link #MAX_FILE_BYTES} are never kept; when the entries would exceed
 * {@link #MAX_TOTAL_BYTES}, some are dropped to make room. One cache per http-lite server, made by its
 * {@link HttpLiteLifecycle} and gone with it (entries are keyed by real path); thread-safe.
 */
final class FileCache {
    /** Files up to this size are kept: pages, style sheets, scripts and icons; not downloads. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    static final long MAX_TOTAL_BYTES = 16L * 1024 * 1024;

    /**
     * A kept file: its bytes, its validators, and the head lines every response that sends it carries
     * (Content-Type, Last-Modified, ETag, Accept-Ranges), rendered once, so serving it again formats nothing.
     */
    record Kept(byte[] bytes, Validators validators, byte[] headLines) {
    }

    private record Entry(Object fileKey, long size, FileTime modified, Kept kept) {
        boolean matches(BasicFileAttributes attributes) {
            return size == attributes.size() && modified.equals(attributes.lastModifiedTime())
                    && Objects.equals(fileKey, attributes.fileKey());
        }
    }

    private final int maxFileBytes;
    private final long maxTotalBytes;
    private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    FileCache(int maxFileBytes, long maxTotalBytes) {
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** @return whether a file of these attributes is small enough to keep */
    boolean keeps(BasicFileAttributes attributes) {
        return attributes.size() <= maxFileBytes;
    }

    /** @return the file if it is kept and still current, else null */
    Kept get(Path path, BasicFileAttributes attributes) {
        Entry entry = entries.get(path);
        return entry != null && entry.matches(attributes) ? entry.kept() : null;
    }

    /**
     * Reads the whole file, keeps it under {@code attributes} with its validators and head lines, and
     * returns what it keeps.
     *
     * @throws IOException also if the file is shorter than {@code attributes} say (it changed meanwhile)
     */
    Kept load(Path path, BasicFileAttributes attributes, FileChannel file, Validators validators, byte[] headLines)
            throws IOException {
        byte[] bytes = new byte[(int) attributes.size()];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, buffer.position()) < 0) {
                throw new IOException("file shrank while it was being read");
            }
        }
        Kept kept = new Kept(bytes, validators, headLines);
        Entry entry = new Entry(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), kept);
        makeRoom(bytes.length);
        Entry old = entries.put(path, entry);
        totalBytes.addAndGet(bytes.length - (old == null ? 0 : old.kept().bytes().length));
        return kept;
    }

    /** Drops entries (whichever come first) until {@code more} bytes fit. */
    private void makeRoom(long more) {
        Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
        while (totalBytes.get() + more > maxTotalBytes && it.hasNext()) {
            Map.Entry<Path, Entry> candidate = it.next();
            if (entries.remove(candidate.getKey(), candidate.getValue())) { // not if another thread replaced it
                totalBytes.addAndGet(-candidate.getValue().kept().bytes().length);
            }
        }
    }

    /** @return the bytes now kept, for tests */
    long totalBytes() {
        return totalBytes.get();
    }
}
