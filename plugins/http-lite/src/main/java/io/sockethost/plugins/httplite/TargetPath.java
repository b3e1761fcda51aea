package io.sockethost.plugins.httplite;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of a request target, percent-decoded and checked so that it can only name something under the
 * document root: every segment is a plain file name. Anything that could climb or confuse a file system
 * (dot segments, raw or encoded; encoded slashes; backslashes; NUL and other control characters; malformed
 * percent escapes or UTF-8) is refused with 400, never "cleaned up": a client that sends such a path is
 * either broken or probing.
 *
 * @param segments the decoded segments, none empty; empty segments ({@code //}) are skipped
 * @param directory whether the path ends with {@code /}
 * @param rawPath the path as sent, still percent-encoded (visible ASCII only), for a redirect
 * @param query the query as sent, without {@code ?}, or {@code null}
 */
record TargetPath(List<String> segments, boolean directory, String rawPath, String query) {

    /**
     * @param target an origin-form ({@code /path?query}) or absolute-form ({@code http://host/path}) target
     *     of visible ASCII characters, as {@link HeadParser} admits them
     * @throws HttpException 400 for another form or an unsafe path
     */
    static TargetPath parse(String target) throws HttpException {
        String rest = originForm(target);
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? null : rest.substring(q + 1);
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            if (end > start) {
                segments.add(segment(rawPath, start, end));
            }
            start = end + 1;
        }
        return new TargetPath(List.copyOf(segments), rawPath.endsWith("/"), rawPath, query);
    }

    /**
     * @return the raw path with its leading slashes collapsed into one, for a {@code Location}: a path that
     *     starts with {@code //} would be read by a browser as another host ({@code //evil.com/sub/})
     */
    String localRawPath() {
        int i = 0;
        while (i < rawPath.length() && rawPath.charAt(i) == '/') {
            i++;
        }
        return "/" + rawPath.substring(i);
    }

    /** @return the target from its path on: itself for origin form, the part after the authority for absolute form */
    private static String originForm(String target) throws HttpException {
        if (target.startsWith("/")) {
            return target;
        }
        int schemeEnd = target.regionMatches(true, 0, "http://", 0, 7) ? 7
                : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (schemeEnd < 0) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "request target is neither a path nor an http(s) URL");
        }
        int authorityEnd = target.length();
        for (int i = schemeEnd; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?') {
                authorityEnd = i;
                break;
            }
        }
        if (authorityEnd == schemeEnd) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "absolute URL without a host");
        }
        String rest = target.substring(authorityEnd);
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    private static String segment(String raw, int start, int end) throws HttpException {
        boolean plain = true;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                throw new HttpException(HttpStatus.BAD_REQUEST, "backslash in path");
            }
            plain &= c != '%';
        }
        String name = plain ? raw.substring(start, end) : decode(raw, start, end);
        if (name.equals(".") || name.equals("..")) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "dot segment in path");
        }
        return name;
    }

    private static String decode(String raw, int start, int end) throws HttpException {
        byte[] bytes = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < end ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new HttpException(HttpStatus.BAD_REQUEST, "malformed percent escape in path");
                }
                int b = hi << 4 | lo;
                if (b < 0x20 || b == 0x7f || b == '/' || b == '\\') {
                    throw new HttpException(HttpStatus.BAD_REQUEST, "encoded slash, backslash or control character in path");
                }
                bytes[n++] = (byte) b;
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "path is not UTF-8");
        }
    }
}
