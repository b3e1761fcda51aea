package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HttpDatesTest {
    private static final long EXAMPLE = 784111777L; // RFC 9110's example date

    @Test
    void writesImfFixdateWithTwoDigitDays() {
        assertThat(HttpDates.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void theHandWrittenFormatAgreesWithTheJdkFormatterOverCenturies() {
        java.time.format.DateTimeFormatter jdk = java.time.format.DateTimeFormatter
                .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++) {
            long second = random.nextLong(-30_000_000_000L, 250_000_000_000L);
            assertThat(HttpDates.format(second)).isEqualTo(jdk.format(java.time.Instant.ofEpochSecond(second)));
        }
    }

    @Test
    void readsAllThreeFormatsAndRejectsTheRest() {
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(EXAMPLE);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(EXAMPLE);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(EXAMPLE);
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 +0000")).isEqualTo(Long.MIN_VALUE);
        assertThat(HttpDates.parse("not a date")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theDateLineIsCurrent() {
        long before = System.currentTimeMillis() / 1000;
        String line = new String(HttpDates.dateLine(), StandardCharsets.US_ASCII);
        long after = System.currentTimeMillis() / 1000;
        assertThat(line).startsWith("Date: ").endsWith(" GMT\r\n");
        long stamped = HttpDates.parse(line.substring(6, line.length() - 2));
        assertThat(stamped).isBetween(before, after);
    }
}
