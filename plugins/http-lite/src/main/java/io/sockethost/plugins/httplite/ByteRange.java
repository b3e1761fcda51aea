package io.sockethost.plugins.httplite;

/**
 * What a {@code Range} field asks of a file (RFC 9110 14): one range of bytes, or the whole file when the
 * field is absent, malformed, in another unit or asks for several ranges (a server may ignore Range; http-lite
 * does not send multipart responses), or nothing satisfiable (416).
 */
sealed interface ByteRange {
    Whole WHOLE = new Whole();
    Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    /** The whole file: 200. */
    record Whole() implements ByteRange {
    }

    /** Bytes {@code first} to {@code last} inclusive, both within the file: 206. */
    record Part(long first, long last) implements ByteRange {
        long length() {
            return last - first + 1;
        }
    }

    /** No byte of the file is in the range: 416. */
    record Unsatisfiable() implements ByteRange {
    }

    /**
     * @param field the Range field's value, or {@code null}
     * @param size the file's size in bytes
     */
    static ByteRange parse(String field, long size) {
        if (field == null) {
            return WHOLE;
        }
        String value = field.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return WHOLE;
        }
        String spec = value.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        long first = digits(spec, 0, dash);
        long last = digits(spec, dash + 1, spec.length());
        if (dash == 0) {
            // suffix range: the last N bytes
            if (last < 0) {
                return WHOLE;
            }
            return last == 0 || size == 0 ? UNSATISFIABLE : new Part(Math.max(0, size - last), size - 1);
        }
        boolean open = dash == spec.length() - 1;
        if (first < 0 || !open && (last < 0 || last < first)) {
            return WHOLE;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new Part(first, open ? size - 1 : Math.min(last, size - 1));
    }

    /** @return the decimal number in {@code s[from, to)}, {@link Long#MAX_VALUE} if too large, -1 if not digits */
    private static long digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
