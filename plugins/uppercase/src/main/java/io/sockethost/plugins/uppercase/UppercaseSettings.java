package io.sockethost.plugins.uppercase;

/**
 * The uppercase server's {@code settings}.
 *
 * @param charset {@code null} (the default): change ASCII letters only, byte for byte, like Python's
 *     {@code bytes.upper()}; a charset name such as {@code UTF-8}: decode, upper-case the text (so
 *     {@code ß} becomes {@code SS}), encode back
 */
public record UppercaseSettings(String charset) {
}
