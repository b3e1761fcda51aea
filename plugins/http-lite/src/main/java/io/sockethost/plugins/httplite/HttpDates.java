package io.sockethost.plugins.httplite;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 5.6.7): written as IMF-fixdate, read in all three formats a server must accept. The
 * {@code Date} header line is made once per second and shared by every connection. Thread-safe.
 */
final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** RFC 850: a two-digit year; read as the nearest past century per RFC 9110, approximated as 1970-2069. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    /** One second's {@code Date} header line; replaced, never modified, so sharing the array is safe. */
    private record Stamp(long second, byte[] line) {
    }

    private static volatile Stamp current = new Stamp(-1, new byte[0]);

    private HttpDates() {
    }

    /** @return {@code Date: <now>\r\n}; callers must not modify the array */
    static byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.second() != second) {
            stamp = new Stamp(second, ("Date: " + format(second) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            current = stamp;
        }
        return stamp.line();
    }

    /** @return the IMF-fixdate of an epoch second, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /** @return the epoch second of an HTTP date in any of its three formats, or {@link Long#MIN_VALUE} if invalid */
    static long parse(String text) {
        for (DateTimeFormatter format : new DateTimeFormatter[] {IMF_FIXDATE, RFC_850, ASCTIME}) {
            try {
                return Instant.from(format.parse(text.trim())).getEpochSecond();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return Long.MIN_VALUE;
    }
}
