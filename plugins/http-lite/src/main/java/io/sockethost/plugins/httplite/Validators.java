package io.sockethost.plugins.httplite;

import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file's validators (a strong ETag from its size and modification time, and its modification time to the
 * second) and the conditional-request rules of RFC 9110 13 that use them for GET and HEAD.
 *
 * @param etag the entity tag, quoted
 * @param lastModified the modification time in epoch seconds
 */
record Validators(String etag, long lastModified) {

    static Validators of(BasicFileAttributes attributes) {
        long millis = attributes.lastModifiedTime().toMillis();
        return new Validators('"' + Long.toHexString(attributes.size()) + '-' + Long.toHexString(millis) + '"',
                Math.floorDiv(millis, 1000));
    }

    /**
     * If-None-Match (weak comparison) wins over If-Modified-Since, which is ignored when the date is invalid
     * (RFC 9110 13.2.2).
     *
     * @return whether the client's copy is current, so the answer is 304
     */
    boolean notModified(RequestHead.Conditions conditions) {
        if (conditions.ifNoneMatch() != null) {
            return matches(conditions.ifNoneMatch(), false);
        }
        if (conditions.ifModifiedSince() != null) {
            long since = HttpDates.parse(conditions.ifModifiedSince());
            return since != Long.MIN_VALUE && lastModified <= since;
        }
        return false;
    }

    /**
     * If-Range (RFC 9110 13.1.5): the range applies only if the validator still matches, an entity tag by
     * strong comparison or a date exactly.
     *
     * @return whether a Range field may be honoured
     */
    boolean rangeApplies(RequestHead.Conditions conditions) {
        String ifRange = conditions.ifRange();
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag); // a weak tag never equals ours, which is strong
        }
        long date = HttpDates.parse(value);
        return date != Long.MIN_VALUE && date == lastModified;
    }

    /**
     * @param list {@code *} or a comma-separated list of entity tags, weak ({@code W/"x"}) or strong ({@code "x"})
     * @param strong strong comparison: a weak tag never matches
     */
    boolean matches(String list, boolean strong) {
        String trimmed = list.trim();
        if (trimmed.equals("*")) {
            return true;
        }
        int i = 0;
        int n = trimmed.length();
        while (i < n) {
            char c = trimmed.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean weak = trimmed.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            if (open >= n || trimmed.charAt(open) != '"') {
                return false; // malformed list: no match, so the full response is sent
            }
            int close = trimmed.indexOf('"', open + 1);
            if (close < 0) {
                return false;
            }
            if (!(strong && weak) && trimmed.regionMatches(open, etag, 0, etag.length()) && close + 1 - open == etag.length()) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}
