package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The small-file cache over real files: what it keeps, when an entry stops being used, and its bounds. */
@Timeout(30)
class FileCacheTest {
    @TempDir
    Path dir;

    private Path file(String name, String content, Instant modified) throws IOException {
        Path path = Files.writeString(dir.resolve(name), content);
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class);
    }

    private static byte[] load(FileCache cache, Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path)) {
            BasicFileAttributes attributes = attributes(path);
            byte[] headLines = "ETag: x\r\n".getBytes(StandardCharsets.US_ASCII);
            FileCache.Kept kept = cache.load(path, attributes, channel, Validators.of(attributes), headLines);
            assertThat(kept.validators()).isEqualTo(Validators.of(attributes));
            assertThat(kept.headLines()).isSameAs(headLines);
            return kept.bytes();
        }
    }

    @Test
    void keepsAFileUntilItsAttributesChange() throws IOException {
        FileCache cache = new FileCache(1024, 4096);
        Instant first = Instant.parse("2024-01-01T00:00:00Z");
        Path path = file("page.html", "version 1", first);
        assertThat(cache.get(path, attributes(path))).as("nothing kept yet").isNull();

        assertThat(new String(load(cache, path), StandardCharsets.UTF_8)).isEqualTo("version 1");
        assertThat(cache.get(path, attributes(path)).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("version 1");

        file("page.html", "version 2", first.plusSeconds(1)); // same size, rewritten
        assertThat(cache.get(path, attributes(path))).as("modified since: read again").isNull();
        assertThat(new String(load(cache, path), StandardCharsets.UTF_8)).isEqualTo("version 2");
        assertThat(cache.totalBytes()).as("the old entry's bytes are not counted twice").isEqualTo(9);

        Path replacement = file("other.html", "version 3", first.plusSeconds(1));
        Files.move(replacement, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(cache.get(path, attributes(path))).as("another file (file key) with the same size and time").isNull();
    }

    @Test
    void keepsOnlyFilesUpToTheBound() throws IOException {
        FileCache cache = new FileCache(8, 4096);
        assertThat(cache.keeps(attributes(file("small", "12345678", Instant.now())))).isTrue();
        assertThat(cache.keeps(attributes(file("large", "123456789", Instant.now())))).isFalse();
    }

    @Test
    void dropsEntriesToStayWithinItsTotal() throws IOException {
        FileCache cache = new FileCache(8, 10);
        Path a = file("a", "aaaa", Instant.now());
        Path b = file("b", "bbbb", Instant.now());
        Path c = file("c", "cccc", Instant.now());
        load(cache, a);
        load(cache, b);
        load(cache, c);

        assertThat(cache.totalBytes()).isLessThanOrEqualTo(10);
        assertThat(cache.get(c, attributes(c))).as("the file just read is kept").isNotNull();
        int kept = (cache.get(a, attributes(a)) != null ? 1 : 0) + (cache.get(b, attributes(b)) != null ? 1 : 0);
        assertThat(kept).as("one of the earlier two made room").isEqualTo(1);
    }

    @Test
    void aFileShorterThanItsAttributesSayIsAnErrorAndNotKept() throws IOException {
        FileCache cache = new FileCache(1024, 4096);
        Path path = file("shrinking", "0123456789", Instant.now());
        BasicFileAttributes before = attributes(path);
        Files.writeString(path, "01234");
        try (FileChannel channel = FileChannel.open(path)) {
            assertThatThrownBy(() -> cache.load(path, before, channel, Validators.of(before), new byte[0])).isInstanceOf(IOException.class)
                    .hasMessageContaining("shrank");
        }
        assertThat(cache.totalBytes()).isZero();
    }
}
