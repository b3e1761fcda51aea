package io.sockethost.plugins.httplite;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
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

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

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

    /**
     * Written by hand: it runs for every file response (Last-Modified), and DateTimeFormatter was a visible
     * share of a small response's cost.
     *
     * @return the IMF-fixdate of an epoch second, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}
     */
    static String format(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
        }
        StringBuilder sb = new StringBuilder(29).append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ').append(t.getYear()).append(' ');
        twoDigits(sb, t.getHour()).append(':');
        twoDigits(sb, t.getMinute()).append(':');
        return twoDigits(sb, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder sb, int value) {
        return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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
