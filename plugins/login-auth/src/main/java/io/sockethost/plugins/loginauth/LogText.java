package io.sockethost.plugins.loginauth;

/** Makes text a client chose safe to log: one line, bounded, control characters shown as {@code ?}. */
final class LogText {
    private static final int MAX = 64;

    private LogText() {
    }

    /** @return the text in double quotes, cut at 64 characters, without control characters */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 5).append('"');
        text.codePoints().limit(MAX).forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        sb.append('"');
        if (text.codePointCount(0, text.length()) > MAX) {
            sb.append("...");
        }
        return sb.toString();
    }
}
