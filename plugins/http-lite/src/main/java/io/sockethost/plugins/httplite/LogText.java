package io.sockethost.plugins.httplite;

/**
 * Makes text a client chose safe to put in a log line: control characters, format characters (Unicode
 * category Cf: zero-width and bidi controls such as U+200B and U+202E), separators other than the plain
 * space, and unassigned, private-use and lone surrogate code points are written as
 * <code>&#92;uXXXX</code> (a supplementary one as its two UTF-16 escapes); {@code "} and a backslash get a
 * backslash, so a quoted field always ends at its closing quote and an escape always comes from here.
 * Stateless.
 */
final class LogText {
    private LogText() {
    }

    /** @return the text, escaped; the same instance when nothing needed escaping; {@code "null"} for null */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && shownAsIs(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        text.codePoints().skip(text.codePointCount(0, i)).forEach(c -> append(sb, c));
        return sb.toString();
    }

    /** @return the value's text, escaped */
    static String escape(Object value) {
        return escape(String.valueOf(value));
    }

    private static void append(StringBuilder sb, int c) {
        if (c == '"' || c == '\\') {
            sb.append('\\').append((char) c);
        } else if (printable(c)) {
            sb.appendCodePoint(c);
        } else {
            for (char unit : Character.toChars(c)) {
                sb.append(String.format("\\u%04X", (int) unit));
            }
        }
    }

    /** The fast path: printable ASCII, which is all a request target may hold. */
    private static boolean shownAsIs(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    private static boolean printable(int c) {
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
