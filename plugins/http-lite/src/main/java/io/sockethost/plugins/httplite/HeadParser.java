package io.sockethost.plugins.httplite;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses one request head line by line, strictly after RFC 9112 (sections 3, 5 and 6): the request line,
 * then each field line, then {@link #finish()}. Field names are matched on the bytes, so fields http-lite
 * does not use cost no allocation. One instance per request; not thread-safe.
 */
final class HeadParser {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private String method;
    private String target;
    private HttpVersion version;
    private boolean hostSeen;
    private boolean close;
    private boolean keepAliveToken;
    private long contentLength = -1;
    private String transferEncoding;
    private boolean expectContinue;
    private String ifModifiedSince;
    private String ifNoneMatch;
    private String range;
    private String ifRange;

    /** @return whether the request line has been parsed */
    boolean hasRequestLine() {
        return method != null;
    }

    /** @return the method, or {@code null} before the request line (for the access log of a refused request) */
    String method() {
        return method;
    }

    /** @return the target, or {@code null} before the request line */
    String target() {
        return target;
    }

    /** @return the version, or {@code null} before a valid request line */
    HttpVersion version() {
        return version;
    }

    /**
     * Parses {@code method SP request-target SP HTTP-version}, the line ending excluded.
     *
     * @throws HttpException 400 if malformed, 505 for a major version other than 1
     */
    void requestLine(byte[] b, int from, int to) throws HttpException {
        int sp1 = indexOf(b, (byte) ' ', from, to);
        int sp2 = sp1 < 0 ? -1 : indexOf(b, (byte) ' ', sp1 + 1, to);
        if (sp1 <= from || sp2 <= sp1 + 1 || indexOf(b, (byte) ' ', sp2 + 1, to) >= 0) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "malformed request line");
        }
        for (int i = from; i < sp1; i++) {
            if (!isTchar(b[i])) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "invalid character in method");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            // A fragment is never part of a request target (RFC 9112 3.2).
            if (b[i] < 0x21 || b[i] > 0x7e || b[i] == '#') {
                throw new HttpException(HttpStatus.BAD_REQUEST, "invalid character in request target");
            }
        }
        method = ascii(b, from, sp1);
        target = ascii(b, sp1 + 1, sp2);
        version = version(b, sp2 + 1, to);
    }

    private static HttpVersion version(byte[] b, int from, int to) throws HttpException {
        if (to - from != 8 || b[from] != 'H' || b[from + 1] != 'T' || b[from + 2] != 'T' || b[from + 3] != 'P'
                || b[from + 4] != '/' || !isDigit(b[from + 5]) || b[from + 6] != '.' || !isDigit(b[from + 7])) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "malformed HTTP version");
        }
        if (b[from + 5] != '1') {
            throw new HttpException(HttpStatus.VERSION_NOT_SUPPORTED,
                    "unsupported version " + ascii(b, from, to) + "; HTTP/1.0 and HTTP/1.1 are served");
        }
        return b[from + 7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    /**
     * Parses {@code field-name ":" OWS field-value OWS}, the line ending excluded.
     *
     * @throws HttpException 400 if malformed or if a framing field is contradictory
     */
    void field(byte[] b, int from, int to) throws HttpException {
        if (b[from] == ' ' || b[from] == '\t') {
            throw new HttpException(HttpStatus.BAD_REQUEST, "obsolete line folding or whitespace before a field name");
        }
        int colon = indexOf(b, (byte) ':', from, to);
        if (colon <= from) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "field line without a name and colon");
        }
        for (int i = from; i < colon; i++) {
            if (!isTchar(b[i])) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "invalid character in field name");
            }
        }
        int vs = colon + 1;
        int ve = to;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = vs; i < ve; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "control character in field value");
            }
        }
        recognise(b, from, colon - from, vs, ve);
    }

    private void recognise(byte[] b, int name, int nameLength, int vs, int ve) throws HttpException {
        switch (nameLength) {
            case 4 -> {
                if (is(b, name, nameLength, "host")) {
                    if (hostSeen) {
                        throw new HttpException(HttpStatus.BAD_REQUEST, "more than one Host field");
                    }
                    hostSeen = true;
                }
            }
            case 5 -> {
                if (is(b, name, nameLength, "range")) {
                    range = range == null ? latin1(b, vs, ve) : "";
                }
            }
            case 6 -> {
                if (is(b, name, nameLength, "expect")) {
                    expectContinue = latin1(b, vs, ve).equalsIgnoreCase("100-continue");
                }
            }
            case 8 -> {
                if (is(b, name, nameLength, "if-range")) {
                    ifRange = ifRange == null ? latin1(b, vs, ve) : "";
                }
            }
            case 10 -> {
                if (is(b, name, nameLength, "connection")) {
                    connectionOptions(latin1(b, vs, ve));
                }
            }
            case 13 -> {
                if (is(b, name, nameLength, "if-none-match")) {
                    String value = latin1(b, vs, ve);
                    ifNoneMatch = ifNoneMatch == null ? value : ifNoneMatch + ", " + value;
                }
            }
            case 14 -> {
                if (is(b, name, nameLength, "content-length")) {
                    contentLength(b, vs, ve);
                }
            }
            case 17 -> {
                if (is(b, name, nameLength, "if-modified-since")) {
                    ifModifiedSince = ifModifiedSince == null ? latin1(b, vs, ve) : "";
                } else if (is(b, name, nameLength, "transfer-encoding")) {
                    String value = latin1(b, vs, ve);
                    transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
                }
            }
            default -> {
                // a field http-lite does not use: validated above, otherwise ignored
            }
        }
    }

    private void contentLength(byte[] b, int vs, int ve) throws HttpException {
        if (ve == vs || ve - vs > 18) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "invalid Content-Length");
        }
        long value = 0;
        for (int i = vs; i < ve; i++) {
            if (!isDigit(b[i])) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "invalid Content-Length");
            }
            value = value * 10 + (b[i] - '0');
        }
        if (contentLength >= 0 && contentLength != value) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "conflicting Content-Length fields");
        }
        contentLength = value;
    }

    private void connectionOptions(String value) {
        for (String option : value.split(",")) {
            String o = option.trim();
            if (o.equalsIgnoreCase("close")) {
                close = true;
            } else if (o.equalsIgnoreCase("keep-alive")) {
                keepAliveToken = true;
            }
        }
    }

    /**
     * Checks what only the whole head can tell: Host for 1.1, and how the body is framed.
     *
     * @throws HttpException 400 for a missing Host or ambiguous framing, 501 for a transfer coding http-lite
     *     cannot read past
     */
    RequestHead finish() throws HttpException {
        if (version == HttpVersion.HTTP_1_1 && !hostSeen) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "HTTP/1.1 request without Host");
        }
        boolean chunked = false;
        if (transferEncoding != null) {
            // Both framings at once is the classic request smuggling vector; 1.0 has no transfer codings.
            if (contentLength >= 0 || version == HttpVersion.HTTP_1_0) {
                throw new HttpException(HttpStatus.BAD_REQUEST, "Transfer-Encoding with Content-Length or in HTTP/1.0");
            }
            requireChunkedLast(transferEncoding);
            chunked = true;
        }
        RequestHead.Conditions conditions = ifModifiedSince == null && ifNoneMatch == null && range == null
                && ifRange == null ? RequestHead.Conditions.NONE
                : new RequestHead.Conditions(ifModifiedSince, ifNoneMatch, range, ifRange);
        boolean keepAlive = !close && (version == HttpVersion.HTTP_1_1 || keepAliveToken);
        return new RequestHead(method, target, version, keepAlive, contentLength, chunked, expectContinue, conditions);
    }

    /** The body is discarded, so any coding under a final {@code chunked} is fine; anything else cannot be framed. */
    private static void requireChunkedLast(String value) throws HttpException {
        String[] codings = value.toLowerCase(Locale.ROOT).split(",");
        for (int i = 0; i < codings.length; i++) {
            String coding = codings[i].trim();
            boolean last = i == codings.length - 1;
            switch (coding) {
                case "chunked" -> {
                    if (!last) {
                        throw new HttpException(HttpStatus.BAD_REQUEST, "chunked is not the final transfer coding");
                    }
                }
                case "gzip", "x-gzip", "deflate", "compress", "x-compress" -> {
                    if (last) {
                        throw new HttpException(HttpStatus.BAD_REQUEST, "chunked is not the final transfer coding");
                    }
                }
                default -> throw new HttpException(HttpStatus.NOT_IMPLEMENTED, "unknown transfer coding \"" + coding + "\"");
            }
        }
    }

    static boolean isTchar(byte c) {
        return c >= 0 && TCHAR[c];
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Compares a field name with a lower-case ASCII name, ignoring case. */
    private static boolean is(byte[] b, int from, int length, String lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((b[from + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
