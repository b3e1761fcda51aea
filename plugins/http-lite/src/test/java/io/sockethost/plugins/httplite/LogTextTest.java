package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What client text looks like in http-lite's log lines. */
@Timeout(60)
class LogTextTest {

    @Test
    void printableTextIsKeptAsTheSameString() {
        String target = "/a/b.txt?q=1&r=%22x%22";
        assertThat(LogText.escape(target)).isSameAs(target);
        assertThat(LogText.escape("café 山田")).isEqualTo("café 山田");
    }

    @Test
    void quotesAndBackslashesCannotEndAQuotedField() {
        assertThat(LogText.escape("/x?\" 200 0 0ms\\")).isEqualTo("/x?\\\" 200 0 0ms\\\\");
    }

    @Test
    void controlFormatAndInvisibleCharactersAreEscaped() {
        assertThat(LogText.escape("/al\u200Bice")).isEqualTo("/al\\u200Bice");
        assertThat(LogText.escape("/\u202Etxt.exe")).isEqualTo("/\\u202Etxt.exe");
        assertThat(LogText.escape("a\nb\u0000\u007F\u0085\u00A0\u2028\uFEFF\uE000\uD800"))
                .isEqualTo("a\\u000Ab\\u0000\\u007F\\u0085\\u00A0\\u2028\\uFEFF\\uE000\\uD800");
        assertThat(LogText.escape(new String(Character.toChars(0xE0041)))).isEqualTo("\\uDB40\\uDC41");
    }

    @Test
    void aPathMadeFromADecodedTargetIsEscapedToo() {
        assertThat(LogText.escape(Path.of("/srv/www/\u202Egnp.exe"))).isEqualTo("/srv/www/\\u202Egnp.exe");
        assertThat(LogText.escape((String) null)).isEqualTo("null");
    }
}
