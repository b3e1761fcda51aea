package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request heads and bodies parsed from byte streams, with every limit and refusal. */
@Timeout(10)
class RequestReaderTest {
    private static final HttpLiteSettings DEFAULTS = settings(null, null, null, null);

    private static HttpLiteSettings settings(Integer maxRequestLine, Integer maxHeaderBytes, Integer maxHeaders, Long maxBody) {
        return new HttpLiteSettings(null, null, null, null, null, null, maxRequestLine, maxHeaderBytes, maxHeaders, maxBody, null, null);
    }

    private final List<Duration> timeouts = new ArrayList<>();
    private int flushes;

    private RequestReader reader(String text, HttpLiteSettings settings) {
        return reader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), settings);
    }

    private RequestReader reader(InputStream in, HttpLiteSettings settings) {
        return new RequestReader(in, () -> flushes++, timeouts::add, settings);
    }

    private RequestHead head(String text) throws Exception {
        return reader(text, DEFAULTS).readHead(1000);
    }

    private HttpStatus refusal(String text) {
        return refusal(text, DEFAULTS);
    }

    private HttpStatus refusal(String text, HttpLiteSettings settings) {
        try {
            reader(text, settings).readHead(1000);
        } catch (HttpException e) {
            return e.status();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void parsesAnHttp11GetWithTheFieldsItUses() throws Exception {
        RequestHead head = head("GET /a/b.txt?x=1 HTTP/1.1\r\nHost: example\r\nUser-Agent: t\r\n"
                + "If-None-Match: \"a\"\r\nIf-None-Match: \"b\"\r\nRange: bytes=0-1\r\n\r\n");
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/a/b.txt?x=1");
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.hasBody()).isFalse();
        assertThat(head.conditions().ifNoneMatch()).isEqualTo("\"a\", \"b\"");
        assertThat(head.conditions().range()).isEqualTo("bytes=0-1");
        assertThat(head.conditions().ifModifiedSince()).isNull();
    }

    @Test
    void connectionOptionsDecideKeepAliveByVersion() throws Exception {
        assertThat(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET / HTTP/1.1\r\nhost: h\r\nconnection: Upgrade, CLOSE\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(head("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keepAlive()).isFalse();
    }

    @Test
    void acceptsBareLineFeedsLeadingEmptyLinesAndMinorVersionsAbove1() throws Exception {
        assertThat(head("GET / HTTP/1.1\nHost: h\n\n").target()).isEqualTo("/");
        assertThat(head("\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n").target()).isEqualTo("/x");
        assertThat(head("GET / HTTP/1.7\r\nHost: h\r\n\r\n").version()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void readsPipelinedRequestsInOrderFromOneBuffer() throws Exception {
        RequestReader reader = reader("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n"
                + "hello" + "GET /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n" + "HEAD /4 HTTP/1.1\r\nHost: h\r\n\r\n", DEFAULTS);
        assertThat(reader.readHead(1000).target()).isEqualTo("/1");
        RequestHead post = reader.readHead(1000);
        assertThat(post.contentLength()).isEqualTo(5);
        reader.skipBody(post);
        RequestHead chunked = reader.readHead(1000);
        assertThat(chunked.chunked()).isTrue();
        reader.skipBody(chunked);
        assertThat(reader.readHead(1000).method()).isEqualTo("HEAD");
        assertThat(reader.readHead(1000)).isNull();
    }

    @Test
    void malformedRequestLinesAre400() {
        for (String line : List.of("GET /\r\n", "GET  / HTTP/1.1\r\n", "GET / HTTP/1.1 x\r\n", " GET / HTTP/1.1\r\n",
                "G(T / HTTP/1.1\r\n", "GET / http/1.1\r\n", "GET / HTTP/1\r\n", "GET / HTTP/1.10\r\n", "GET /a#b HTTP/1.1\r\n",
                "GET /a\u0001 HTTP/1.1\r\n", "GET /\u00e9 HTTP/1.1\r\n", "GET / HTTP/1.1\rHost: h\r\n")) {
            assertThat(refusal(line + "Host: h\r\n\r\n")).as(line).isEqualTo(HttpStatus.BAD_REQUEST);
        }
    }

    @Test
    void otherMajorVersionsAre505() {
        assertThat(refusal("GET / HTTP/2.0\r\nHost: h\r\n\r\n")).isEqualTo(HttpStatus.VERSION_NOT_SUPPORTED);
        assertThat(refusal("GET / HTTP/0.9\r\n\r\n")).isEqualTo(HttpStatus.VERSION_NOT_SUPPORTED);
    }

    @Test
    void malformedFieldsAre400() {
        for (String fields : List.of("Host: h\r\n folded\r\n", "Host : h\r\n", "Host: h\r\nNoColon\r\n", "Host: h\r\n: x\r\n",
                "Host: h\r\nX: a\u0000b\r\n", "Host: h\r\nX: a\rb\r\n", "Host: a\r\nHost: b\r\n", "User-Agent: x\r\n",
                "Host: h\r\nContent-Length: 1x\r\n", "Host: h\r\nContent-Length: -1\r\n",
                "Host: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n",
                "Host: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n", "Host: h\r\nTransfer-Encoding: chunked, gzip\r\n")) {
            assertThat(refusal("GET / HTTP/1.1\r\n" + fields + "\r\n")).as(fields).isEqualTo(HttpStatus.BAD_REQUEST);
        }
        assertThat(refusal("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void unknownTransferCodingIs501() {
        assertThat(refusal("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: zstd-magic\r\n\r\n"))
                .isEqualTo(HttpStatus.NOT_IMPLEMENTED);
    }

    @Test
    void limitsGive414And431() {
        HttpLiteSettings small = settings(100, 200, 3, null);
        String target = "/" + "a".repeat(100);
        assertThat(refusal("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n", small)).isEqualTo(HttpStatus.URI_TOO_LONG);
        // The limit is exact: a request line of 100 bytes passes.
        String fits = "/" + "a".repeat(100 - "GET  HTTP/1.1".length() - 1);
        assertThat(catchHead("GET " + fits + " HTTP/1.1\r\nHost: h\r\n\r\n", small)).isNull();
        assertThat(refusal("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small))
                .isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE);
        assertThat(refusal("GET / HTTP/1.1\r\nHost: h\r\nA: " + "x".repeat(200) + "\r\n\r\n", small))
                .isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE);
        assertThat(refusal("GET / HTTP/1.1\r\nHost: " + "x".repeat(120) + "\r\nB: " + "y".repeat(80) + "\r\n\r\n", small))
                .isEqualTo(HttpStatus.HEADER_FIELDS_TOO_LARGE);
        assertThat(refusal("\r\n".repeat(60) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", small)).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private HttpException catchHead(String text, HttpLiteSettings settings) {
        try {
            reader(text, settings).readHead(1000);
            return null;
        } catch (HttpException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLineLongerThanTheInitialBufferIsReadWhole() throws Exception {
        String cookie = "c".repeat(RequestReader.INITIAL_BUFFER * 3);
        RequestHead head = head("GET / HTTP/1.1\r\nHost: h\r\nCookie: " + cookie + "\r\nRange: bytes=1-2\r\n\r\n");
        assertThat(head.conditions().range()).isEqualTo("bytes=1-2");
    }

    @Test
    void bodiesOverTheLimitAre413AndMalformedChunksAre400() throws Exception {
        HttpLiteSettings small = settings(null, null, null, 10L);
        RequestReader declared = reader("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", small);
        RequestHead head = declared.readHead(1000);
        assertThatThrownBy(() -> declared.skipBody(head)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
        assertThat(bodyRefusal("6\r\nabcdef\r\n5\r\nabcde\r\n0\r\n\r\n", small)).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(bodyRefusal("fffffffffffffffff\r\n", small)).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(bodyRefusal("x\r\n", small)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bodyRefusal("3\r\nabcdef\r\n0\r\n\r\n", small)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bodyRefusal("3 junk\r\nabc\r\n0\r\n\r\n", small)).isNull();
    }

    private HttpStatus bodyRefusal(String chunks, HttpLiteSettings settings) throws Exception {
        RequestReader reader = reader("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, settings);
        RequestHead head = reader.readHead(1000);
        try {
            reader.skipBody(head);
            return null;
        } catch (HttpException e) {
            return e.status();
        }
    }

    @Test
    void aBodyCutShortIsAnEndOfStream() throws Exception {
        RequestReader reader = reader("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", DEFAULTS);
        RequestHead head = reader.readHead(1000);
        assertThatThrownBy(() -> reader.skipBody(head)).isInstanceOf(EOFException.class);
    }

    @Test
    void endOfStreamOrIdleTimeoutBeforeARequestEndsQuietlyButAStalledHeadIs408() throws Exception {
        assertThat(head("")).isNull();
        timeouts.clear();
        assertThat(reader(new TimingOut(""), DEFAULTS).readHead(50)).isNull();
        assertThat(timeouts).containsExactly(Duration.ofMillis(50));
        assertThatThrownBy(() -> reader(new TimingOut("GET / HTTP/1.1\r\nHo"), DEFAULTS).readHead(50))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.REQUEST_TIMEOUT));
        // A client that closes part-way through a head is gone: nothing to answer.
        assertThat(head("GET / HTTP/1.1\r\nHo")).isNull();
    }

    @Test
    void flushesPendingOutputOnlyBeforeReadingMore() throws Exception {
        RequestReader reader = reader("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n", DEFAULTS);
        reader.readHead(1000);
        int afterFirst = flushes;
        reader.readHead(1000);
        assertThat(flushes).as("the pipelined second request was already buffered").isEqualTo(afterFirst);
        assertThat(reader.readHead(1000)).isNull();
        assertThat(flushes).isGreaterThan(afterFirst);
    }

    /** Gives its bytes one at a time, then behaves as a socket whose read timeout expired. */
    private static final class TimingOut extends InputStream {
        private final byte[] bytes;
        private int next;

        TimingOut(String text) {
            this.bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public int read() throws IOException {
            if (next == bytes.length) {
                throw new SocketTimeoutException("read timed out");
            }
            return bytes[next++];
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int c = read();
            b[off] = (byte) c;
            return 1;
        }
    }
}
