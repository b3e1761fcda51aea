package io.sockethost.plugins.uppercase;

/**
 * The uppercase server's {@code settings}.
 *
 * @param charset {@code null} (the default): change ASCII letters only, byte for byte, like Python's
 *     {@code bytes.upper()}; a charset name such as {@code UTF-8}: decode, upper-case the text (so
 *     {@code ß} becomes {@code SS}), encode back
 */
public record UppercaseSettings(String charset) {

    /** Checked when the host checks the configuration, since the handler declares this type. */
    public UppercaseSettings {
        if (charset != null && !isSupported(charset)) {
            throw new IllegalArgumentException("unknown charset \"" + charset
                    + "\"; use a Java charset name such as UTF-8 or ISO-8859-1");
        }
    }

    private static boolean isSupported(String name) {
        try {
            return java.nio.charset.Charset.isSupported(name);
        } catch (IllegalArgumentException e) {
            return false; // an illegal name
        }
    }
}
