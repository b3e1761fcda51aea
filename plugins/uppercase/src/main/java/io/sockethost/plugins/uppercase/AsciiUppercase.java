package io.sockethost.plugins.uppercase;

/** Python's {@code bytes.upper()}: a-z become A-Z, every other byte is left alone. */
final class AsciiUppercase {
    private AsciiUppercase() {
    }

    static void inPlace(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b >= 'a' && b <= 'z') {
                bytes[i] = (byte) (b - ('a' - 'A'));
            }
        }
    }
}
