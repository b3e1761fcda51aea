package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetPathTest {

    @Test
    void decodesSegmentsAndKeepsTheRawPathAndQuery() throws Exception {
        TargetPath path = TargetPath.parse("/docs//a%20b/caf%C3%A9.txt?q=%2F");
        assertThat(path.segments()).containsExactly("docs", "a b", "café.txt");
        assertThat(path.directory()).isFalse();
        assertThat(path.rawPath()).isEqualTo("/docs//a%20b/caf%C3%A9.txt");
        assertThat(path.query()).isEqualTo("q=%2F");
    }

    @Test
    void rootAndFolderPathsEndInSlash() throws Exception {
        assertThat(TargetPath.parse("/")).isEqualTo(new TargetPath(List.of(), true, "/", null));
        assertThat(TargetPath.parse("/sub/?").directory()).isTrue();
        assertThat(TargetPath.parse("/sub/?").query()).isEmpty();
        assertThat(TargetPath.parse("/...").segments()).containsExactly("...");
        assertThat(TargetPath.parse("/.well-known/x").segments()).containsExactly(".well-known", "x");
    }

    @Test
    void absoluteFormUsesThePathAfterTheAuthority() throws Exception {
        assertThat(TargetPath.parse("http://example.com:8080/a/b").segments()).containsExactly("a", "b");
        assertThat(TargetPath.parse("HTTPS://example.com").rawPath()).isEqualTo("/");
        assertThat(TargetPath.parse("http://example.com?x").query()).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/..", "/../etc/passwd", "/a/../../etc/passwd", "/./a", "/a/.", "/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd",
        "/.%2e/x", "/%2e./x", "/a%2f..%2f..%2fetc%2fpasswd", "/a%2Fb", "/..%5c..%5cwindows", "/a\\..\\b", "/\\etc\\passwd",
        "/a%00.txt", "/a%0a", "/a%7f", "/%c0%ae%c0%ae/etc/passwd", "/%e0%80%ae%e0%80%ae/x", "/a%", "/a%2", "/a%zz",
        "/%ff", "http://h/../x", "http://h/%2e%2e/x", "*", "etc/passwd", "http:///x", "ftp://h/x", "//..//etc/passwd"})
    void unsafeOrForeignTargetsAre400(String target) {
        assertThatThrownBy(() -> TargetPath.parse(target)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    void leadingDoubleSlashesStayUnderTheRoot() throws Exception {
        assertThat(TargetPath.parse("//etc/passwd").segments()).containsExactly("etc", "passwd");
    }

    @Test
    void theLocalRawPathNeverStartsWithTwoSlashes() throws Exception {
        assertThat(TargetPath.parse("//evil.com/sub").localRawPath()).isEqualTo("/evil.com/sub");
        assertThat(TargetPath.parse("///a//b?x").localRawPath()).isEqualTo("/a//b");
        assertThat(TargetPath.parse("http://host//evil.com").localRawPath()).isEqualTo("/evil.com");
        assertThat(TargetPath.parse("/plain").localRawPath()).isEqualTo("/plain");
        assertThat(TargetPath.parse("//").localRawPath()).isEqualTo("/");
    }
}
