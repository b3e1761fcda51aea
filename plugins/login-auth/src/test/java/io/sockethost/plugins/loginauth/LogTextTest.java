package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a client-chosen name looks like in a log line. */
@Timeout(60)
class LogTextTest {

    @Test
    void printableTextIsQuotedAsIs() {
        assertThat(LogText.quote("alice")).isEqualTo("\"alice\"");
        assertThat(LogText.quote("Zoë Ångström 山田 a b")).isEqualTo("\"Zoë Ångström 山田 a b\"");
    }

    @Test
    void controlFormatAndInvisibleCharactersAreEscaped() {
        assertThat(LogText.quote("al\u200Bice")).as("zero-width space").isEqualTo("\"al\\u200Bice\"");
        assertThat(LogText.quote("\u202Eecila")).as("right-to-left override").isEqualTo("\"\\u202Eecila\"");
        assertThat(LogText.quote("a\u2066b\u2069\uFEFF")).isEqualTo("\"a\\u2066b\\u2069\\uFEFF\"");
        assertThat(LogText.quote("a\nb\r\tc\u0000\u007F\u0085")).isEqualTo("\"a\\u000Ab\\u000D\\u0009c\\u0000\\u007F\\u0085\"");
        assertThat(LogText.quote("a\u00A0b\u2028c\u3000")).as("separators other than the space")
                .isEqualTo("\"a\\u00A0b\\u2028c\\u3000\"");
        assertThat(LogText.quote("\uE000\uD800x")).as("private use, lone surrogate").isEqualTo("\"\\uE000\\uD800x\"");
        assertThat(LogText.quote(new String(Character.toChars(0xE0041)))).as("a supplementary tag character")
                .isEqualTo("\"\\uDB40\\uDC41\"");
    }

    @Test
    void quotesAndBackslashesCannotForgeTheFormat() {
        assertThat(LogText.quote("a\" from 10.0.0.1 \\u202E")).isEqualTo("\"a\\\" from 10.0.0.1 \\\\u202E\"");
    }

    @Test
    void longTextIsCutAt64CodePoints() {
        assertThat(LogText.quote("x".repeat(65))).isEqualTo("\"" + "x".repeat(64) + "\"...");
        assertThat(LogText.quote("😀".repeat(64))).isEqualTo("\"" + "😀".repeat(64) + "\"");
    }
}
