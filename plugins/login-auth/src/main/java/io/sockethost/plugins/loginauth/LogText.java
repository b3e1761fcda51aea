package io.sockethost.plugins.loginauth;

/**
 * Makes text a client chose safe to log: one line, bounded, and looking like what it is. Control
 * characters, format characters (Unicode category Cf: zero-width and bidi controls such as U+200B and
 * U+202E, which can make a name with a zero-width space in it look like {@code alice}, or reverse what
 * follows), separators other than the plain space, and unassigned, private-use and lone surrogate code
 * points are written as <code>&#92;uXXXX</code> (a supplementary one as its two UTF-16 escapes); {@code "}
 * and a backslash get a backslash, so an escape in the log always comes from here and a quote always closes
 * the text.
 */
final class LogText {
    private static final int MAX = 64;

    private LogText() {
    }

    /** @return the text in double quotes, escaped, cut at 64 code points (then followed by {@code ...}) */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        text.codePoints().limit(MAX).forEach(c -> append(sb, c));
        sb.append('"');
        if (text.codePointCount(0, text.length()) > MAX) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int c) {
        if (c == '"' || c == '\\') {
            sb.append('\\').append((char) c);
        } else if (shownAsIs(c)) {
            sb.appendCodePoint(c);
        } else {
            for (char unit : Character.toChars(c)) {
                sb.append(String.format("\\u%04X", (int) unit));
            }
        }
    }

    private static boolean shownAsIs(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
