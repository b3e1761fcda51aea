package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.testkit.PluginHost;

/**
 * The http-lite plugin's real jar in a real host on an ephemeral port: every status it sends, keep-alive,
 * pipelining, HEAD, conditional and range requests, request bodies, timeouts and large files, with the
 * JDK's HttpClient and with raw sockets.
 */
@Timeout(60)
class HttpLitePluginIT {
    private static final String HELLO = "hello, world\n";
    private static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05Z");
    private static final double HEADER_TIMEOUT = 1.5;
    private static final double KEEP_ALIVE_TIMEOUT = 2;

    @TempDir
    static Path temp;
    private static Path www;
    private static byte[] big;
    private static PluginHost host;
    private static InetSocketAddress address;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        www = Files.createDirectories(temp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(www.resolve("hello.txt"), HELLO);
        Files.setLastModifiedTime(www.resolve("hello.txt"), FileTime.from(MODIFIED));
        Files.writeString(www.resolve("style.css"), "body { margin: 0 }\n");
        Files.write(www.resolve("empty.txt"), new byte[0]);
        Files.writeString(www.resolve("caf\u00e9 menu.txt"), "espresso\n");
        big = new byte[10 << 20];
        new Random(6).nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        Files.createDirectories(www.resolve("sub"));
        Files.writeString(www.resolve("sub/index.html"), "<h1>sub</h1>\n");
        Files.createDirectories(www.resolve("evil.com/sub"));
        Files.createDirectories(www.resolve("files/inner"));
        Files.writeString(www.resolve("files/a <b>.txt"), "a\n");
        Files.writeString(temp.resolve("outside.txt"), "outside\n");
        Files.createSymbolicLink(www.resolve("files/out-link"), temp.resolve("outside.txt"));

        String root = www.toString().replace("\\", "\\\\");
        host = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")))
                .override("{\"servers\": {"
                        + "\"http-lite\": {\"settings\": {\"root\": \"" + root + "\", \"headerTimeout\": " + HEADER_TIMEOUT
                        + ", \"keepAliveTimeout\": " + KEEP_ALIVE_TIMEOUT + "}},"
                        + "\"http-lite-listing\": {\"from\": \"http-lite\", \"address\": \"127.0.0.1:0\","
                        + " \"settings\": {\"listDirectories\": true, \"accessLog\": false}}}}")
                .start();
        address = host.inetAddress("http-lite");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static RawHttp raw() throws Exception {
        return new RawHttp(address);
    }

    private static String getRequest(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    @Test
    void aStopEndsAnIdleKeepAliveConnectionAtOnceInsteadOfWaitingOutItsTimeout() throws Exception {
        String root = www.toString().replace("\\", "\\\\");
        try (PluginHost own = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")))
                .override("{\"servers\": {\"http-lite\": {\"settings\": {\"root\": \"" + root + "\","
                        + " \"keepAliveTimeout\": 600, \"accessLog\": false}}}}")
                .start();
             RawHttp idle = new RawHttp(own.inetAddress("http-lite"))) {
            assertThat(idle.exchange(getRequest("/hello.txt")).status()).isEqualTo(200);
            // The connection now waits for its next request, for up to 600 s.
            assertThat(own.server("http-lite").close(Duration.ofSeconds(30)))
                    .as("the idle connection ended on its own when the stop drained it").isTrue();
            assertThat(idle.closedByServer()).isTrue();
        }
    }

    @Test
    void getServesAFileWithItsHeaders() throws Exception {
        HttpResponse<byte[]> response = get("/hello.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(HELLO);
        var headers = response.headers();
        assertThat(headers.firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(headers.firstValueAsLong("content-length")).hasValue(HELLO.length());
        assertThat(headers.firstValue("server")).hasValue("sockethost-http-lite");
        assertThat(headers.firstValue("last-modified")).hasValue("Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(headers.firstValue("etag").orElseThrow()).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(headers.firstValue("accept-ranges")).hasValue("bytes");
        long date = HttpDates.parse(headers.firstValue("date").orElseThrow());
        assertThat(Math.abs(date - System.currentTimeMillis() / 1000)).isLessThan(60);
        assertThat(get("/style.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/big.bin").headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void percentEncodedNamesAndTheDefaultClientsH2cUpgradeAreServedInHttp11() throws Exception {
        HttpClient upgrading = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = upgrading.send(HttpRequest.newBuilder(uri("/caf%C3%A9%20menu.txt"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("espresso\n");
    }

    @Test
    void foldersServeTheirIndexRedirectToTheSlashFormOrAre404WithoutListing() throws Exception {
        assertThat(new String(get("/").body(), StandardCharsets.UTF_8)).isEqualTo("<h1>home</h1>\n");
        assertThat(get("/").headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(new String(get("/sub/").body(), StandardCharsets.UTF_8)).isEqualTo("<h1>sub</h1>\n");
        try (RawHttp http = raw()) {
            RawHttp.Response redirect = http.exchange(getRequest("/sub?x=1"));
            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("location")).isEqualTo("/sub/?x=1");
            assertThat(http.exchange(getRequest("/files/")).status()).isEqualTo(404);
            assertThat(http.exchange(getRequest("/hello.txt/")).status()).isEqualTo(404);
            assertThat(http.exchange(getRequest("/nothing-here")).status()).isEqualTo(404);
        }
    }

    @Test
    void aRedirectNeverStartsWithTwoSlashesSoItCannotNameAnotherHost() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response sub = http.exchange(getRequest("//sub"));
            assertThat(sub.status()).isEqualTo(301);
            assertThat(sub.header("location")).isEqualTo("/sub/");
            RawHttp.Response evil = http.exchange(getRequest("//evil.com/sub"));
            assertThat(evil.status()).isEqualTo(301);
            assertThat(evil.header("location")).as("a path on this server, not the host evil.com").isEqualTo("/evil.com/sub/");
            RawHttp.Response many = http.exchange(getRequest("////evil.com//sub?x=1"));
            assertThat(many.header("location")).isEqualTo("/evil.com//sub/?x=1");
            RawHttp.Response absolute = http.exchange(getRequest("http://test//evil.com/sub"));
            assertThat(absolute.header("location")).isEqualTo("/evil.com/sub/");
        }
    }

    @Test
    void listingShowsEntriesEscapedAndLeavesOutLinksThatLeaveTheRoot() throws Exception {
        InetSocketAddress listing = host.inetAddress("http-lite-listing");
        try (RawHttp http = new RawHttp(listing)) {
            RawHttp.Response page = http.exchange(getRequest("/files/"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
            assertThat(page.text()).contains("<title>Index of /files/</title>")
                    .contains("<a href=\"../\">../</a>")
                    .contains("<a href=\"a%20%3Cb%3E.txt\">a &lt;b&gt;.txt</a>")
                    .contains("<a href=\"inner/\">inner/</a>")
                    .doesNotContain("out-link");
            // an index file still wins over the listing
            assertThat(http.exchange(getRequest("/sub/")).text()).isEqualTo("<h1>sub</h1>\n");
            assertThat(http.exchange(getRequest("/files/a%20%3Cb%3E.txt")).text()).isEqualTo("a\n");
        }
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response head = http.exchange("HEAD /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(HELLO.length()));
            assertThat(head.header("etag")).isNotNull();
            // No body bytes follow: the next response on the connection starts right away.
            RawHttp.Response next = http.exchange(getRequest("/hello.txt"));
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.text()).isEqualTo(HELLO);
            RawHttp.Response missing = http.exchange("HEAD /nope HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("content-length")).isEqualTo("14");
            assertThat(http.exchange(getRequest("/empty.txt")).body()).isEmpty();
        }
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(uri("/big.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(big.length);
    }

    @Test
    void methodsOtherThanGetAndHeadAre405WithAllowOr501IfUnknown() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/hello.txt"))
                .POST(HttpRequest.BodyPublishers.ofString("data=1")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(post.body()).isEqualTo("405 Method Not Allowed\n");
        try (RawHttp http = raw()) {
            for (String method : new String[] {"PUT", "DELETE", "PATCH", "TRACE"}) {
                RawHttp.Response response = http.exchange(method + " /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(response.status()).as(method).isEqualTo(405);
                assertThat(response.header("allow")).isEqualTo("GET, HEAD, OPTIONS");
            }
            RawHttp.Response brew = http.exchange("BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(brew.status()).isEqualTo(501);
            assertThat(brew.header("connection")).isNull();
            RawHttp.Response lowercase = http.exchange("get / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(lowercase.status()).as("methods are case-sensitive").isEqualTo(501);
            RawHttp.Response options = http.exchange("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(options.status()).isEqualTo(204);
            assertThat(options.header("allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(options.header("content-length")).isNull();
            assertThat(http.exchange(getRequest("/hello.txt")).text()).as("still in sync").isEqualTo(HELLO);
        }
    }

    @Test
    void malformedRequestsAre400AndCloseTheConnection() throws Exception {
        for (String request : new String[] {"GET /\r\n\r\n", "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
            "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\r\n\r\n"}) {
            try (RawHttp http = raw()) {
                RawHttp.Response response = http.exchange(request);
                assertThat(response.status()).as(request).isEqualTo(400);
                assertThat(response.header("connection")).isEqualTo("close");
                assertThat(response.text()).isEqualTo("400 Bad Request\n");
                assertThat(http.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void unsupportedVersionsAre505() throws Exception {
        for (String version : new String[] {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9"}) {
            try (RawHttp http = raw()) {
                RawHttp.Response response = http.exchange("GET / " + version + "\r\nHost: t\r\n\r\n");
                assertThat(response.status()).as(version).isEqualTo(505);
                assertThat(http.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void anUnknownTransferCodingIs501() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: magic\r\n\r\n");
            assertThat(response.status()).isEqualTo(501);
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void aHeadThatDoesNotArriveInTimeIs408() throws Exception {
        try (RawHttp http = raw()) {
            long start = System.nanoTime();
            RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.1\r\nHost: t\r\n");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(seconds).isBetween(HEADER_TIMEOUT * 0.8, HEADER_TIMEOUT + 5);
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void theHeaderTimeoutBoundsTheWholeHeadNotEachRead() throws Exception {
        try (RawHttp http = raw()) {
            // A slowloris client: a byte at a time, each well within the timeout, never finishing.
            CompletableFuture<Void> drip = CompletableFuture.runAsync(() -> {
                byte[] text = ("GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: " + "s".repeat(200)).getBytes(StandardCharsets.US_ASCII);
                try {
                    for (byte b : text) {
                        http.send(new byte[] {b});
                        TimeUnit.MILLISECONDS.sleep(100); // pacing the slow client, not waiting for a condition
                    }
                } catch (Exception e) {
                    // the server gave up and closed: expected
                }
            });
            long start = System.nanoTime();
            RawHttp.Response response = http.read(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(response.status()).isEqualTo(408);
            assertThat(seconds).isLessThan(HEADER_TIMEOUT + 5);
            http.socket().close(); // stops the drip
            drip.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        try (RawHttp http = raw()) {
            assertThat(http.exchange(getRequest("/hello.txt")).status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(http.closedByServer()).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).isBetween(KEEP_ALIVE_TIMEOUT * 0.8, KEEP_ALIVE_TIMEOUT + 5);
        }
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: " + ((1 << 20) + 1)
                    + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
        }
        try (RawHttp http = raw()) {
            http.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 17; i++) {
                        http.send(chunk);
                    }
                } catch (Exception e) {
                    // the server refused part-way: expected
                }
            });
            assertThat(http.read(false).status()).isEqualTo(413);
            sender.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void requestLinesOverTheLimitAre414() throws Exception {
        String atLimit = "/" + "a".repeat(8192 - "GET / HTTP/1.1".length());
        try (RawHttp http = raw()) {
            assertThat(http.exchange(getRequest(atLimit)).status()).isEqualTo(404);
            RawHttp.Response response = http.exchange(getRequest(atLimit + "a"));
            assertThat(response.status()).isEqualTo(414);
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void tooManyOrTooLargeHeaderFieldsAre431() throws Exception {
        StringBuilder hundred = new StringBuilder("GET /hello.txt HTTP/1.1\r\nHost: t\r\n");
        for (int i = 1; i < 100; i++) {
            hundred.append("X-F").append(i).append(": v\r\n");
        }
        try (RawHttp http = raw()) {
            assertThat(http.exchange(hundred + "\r\n").status()).isEqualTo(200);
            assertThat(http.exchange(hundred + "X-One-More: v\r\n\r\n").status()).isEqualTo(431);
        }
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("GET / HTTP/1.1\r\nHost: t\r\nCookie: " + "c".repeat(33_000) + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        }
    }

    @Test
    void validatorsGive304() throws Exception {
        String etag = get("/hello.txt").headers().firstValue("etag").orElseThrow();
        HttpResponse<byte[]> byTag = get("/hello.txt", "If-None-Match", "\"other\", " + etag);
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.headers().firstValue("etag")).hasValue(etag);
        assertThat(get("/hello.txt", "If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT").statusCode()).isEqualTo(304);
        assertThat(get("/hello.txt", "If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT").statusCode()).isEqualTo(200);
        assertThat(get("/hello.txt", "If-None-Match", "\"other\"", "If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT")
                .statusCode()).as("If-None-Match wins").isEqualTo(200);
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(304);
            assertThat(response.header("content-length")).isNull();
            assertThat(http.exchange(getRequest("/hello.txt")).text()).as("no body after 304").isEqualTo(HELLO);
        }
    }

    @Test
    void rangesGive206Or416() throws Exception {
        HttpResponse<byte[]> part = get("/hello.txt", "Range", "bytes=7-11");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("world");
        assertThat(part.headers().firstValue("content-range")).hasValue("bytes 7-11/" + HELLO.length());
        assertThat(new String(get("/hello.txt", "Range", "bytes=-6").body(), StandardCharsets.UTF_8)).isEqualTo("world\n");
        HttpResponse<byte[]> unsatisfiable = get("/hello.txt", "Range", "bytes=100-");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(unsatisfiable.headers().firstValue("content-range")).hasValue("bytes */" + HELLO.length());
        assertThat(get("/hello.txt", "Range", "bytes=0-1,3-4").statusCode()).as("several ranges: whole file").isEqualTo(200);
        assertThat(get("/hello.txt", "Range", "bytes=0-1", "If-Range", "\"stale\"").statusCode()).isEqualTo(200);
        String etag = get("/hello.txt").headers().firstValue("etag").orElseThrow();
        assertThat(get("/hello.txt", "Range", "bytes=0-1", "If-Range", etag).statusCode()).isEqualTo(206);

        try (RawHttp http = raw()) {
            RawHttp.Response head = http.exchange("HEAD /hello.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n");
            assertThat(head.status()).as("HEAD ignores Range").isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(HELLO.length()));
        }

        int from = 3_000_000;
        HttpResponse<byte[]> middle = get("/big.bin", "Range", "bytes=" + from + "-" + (from + 99_999));
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(big, from, from + 100_000));
    }

    @Test
    void aFileRewrittenInPlaceIsServedAnewNotFromMemory() throws Exception {
        Path page = www.resolve("changing.txt");
        Files.writeString(page, "first version\n");
        Files.setLastModifiedTime(page, FileTime.from(MODIFIED));
        assertThat(new String(get("/changing.txt").body(), StandardCharsets.UTF_8)).isEqualTo("first version\n");
        assertThat(new String(get("/changing.txt").body(), StandardCharsets.UTF_8)).as("kept").isEqualTo("first version\n");

        Files.writeString(page, "later version\n"); // the same size
        Files.setLastModifiedTime(page, FileTime.from(MODIFIED.plusSeconds(60)));

        HttpResponse<byte[]> again = get("/changing.txt");
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("later version\n");
        assertThat(again.headers().firstValue("last-modified")).hasValue("Tue, 02 Jan 2024 03:05:05 GMT");
    }

    @Test
    void aKeptFileLargerThanOneWriteArrivesIntactWholeAndInRanges() throws Exception {
        byte[] mid = new byte[40_000]; // kept in memory, but longer than what leaves in the head's write
        new java.util.Random(7).nextBytes(mid);
        Files.write(www.resolve("mid.bin"), mid);
        for (int i = 0; i < 2; i++) { // read from the file, then from memory
            assertThat(get("/mid.bin").body()).isEqualTo(mid);
            HttpResponse<byte[]> part = get("/mid.bin", "Range", "bytes=10000-29999");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(mid, 10_000, 30_000));
        }
    }

    @Test
    void aTenMebibyteFileArrivesIntact() throws Exception {
        HttpResponse<byte[]> response = get("/big.bin");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(big.length);
        assertThat(Arrays.equals(response.body(), big)).isTrue();
    }

    @Test
    void oneConnectionCarriesManyRequests() throws Exception {
        try (RawHttp http = raw()) {
            for (int i = 0; i < 200; i++) {
                String path = i % 3 == 0 ? "/hello.txt" : i % 3 == 1 ? "/style.css" : "/missing";
                RawHttp.Response response = http.exchange(getRequest(path));
                assertThat(response.status()).isEqualTo(i % 3 == 2 ? 404 : 200);
                assertThat(response.header("connection")).isNull();
            }
            assertThat(http.socket().isClosed()).isFalse();
        }
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        try (RawHttp http = raw()) {
            http.send(getRequest("/hello.txt") + "HEAD /style.css HTTP/1.1\r\nHost: t\r\n\r\n" + getRequest("/sub/"));
            RawHttp.Response first = http.read(false);
            RawHttp.Response second = http.read(true);
            RawHttp.Response third = http.read(false);
            assertThat(first.text()).isEqualTo(HELLO);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.header("content-type")).isEqualTo("text/css; charset=utf-8");
            assertThat(third.text()).isEqualTo("<h1>sub</h1>\n");
        }
    }

    @Test
    void requestBodiesAreReadPastSoTheNextRequestIsInSync() throws Exception {
        try (RawHttp http = raw()) {
            http.send("POST /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\nGET /hello.txt HTTP/"
                    + "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nGET /\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
                    + getRequest("/style.css"));
            assertThat(http.read(false).status()).isEqualTo(405);
            assertThat(http.read(false).status()).isEqualTo(405);
            assertThat(http.read(false).text()).isEqualTo("body { margin: 0 }\n");
        }
    }

    @Test
    void expectContinueIsAnsweredAtOnceWithoutAskingForTheBody() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("connection")).isEqualTo("close");
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(response.text()).isEqualTo(HELLO);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void requestsPipelinedAfterConnectionCloseAreIgnoredWithoutLosingTheResponse() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawHttp http = raw()) {
                http.send("GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" + getRequest("/hello.txt").repeat(2000));
                RawHttp.Response response = http.read(false);
                assertThat(response.body()).hasSize(big.length);
                assertThat(http.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws Exception {
        try (RawHttp http = raw()) {
            RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.0\r\n\r\n");
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.text()).isEqualTo(HELLO);
            assertThat(http.closedByServer()).isTrue();
        }
        try (RawHttp http = raw()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertThat(response.header("connection")).isEqualTo("keep-alive");
                assertThat(response.text()).isEqualTo(HELLO);
            }
        }
    }

    @Test
    void theLinesOfRequestsJustBeforeAStopAreStillWritten() throws Exception {
        String root = www.toString().replace("\\", "\\\\");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            // A host of its own, so that this server's writer formats its first line only after the stop
            // has closed the plugin's class loader.
            try (PluginHost own = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")))
                    .override("{\"servers\": {\"http-lite\": {\"settings\": {\"root\": \"" + root + "\"}}}}").start();
                 RawHttp http = new RawHttp(own.inetAddress("http-lite"))) {
                assertThat(http.exchange(getRequest("/hello.txt?last=before-stop")).status()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> captured.toString(StandardCharsets.UTF_8).contains("last=before-stop"));
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("NoClassDefFoundError");
    }

    @Test
    void everyRequestGetsAnAccessLogLineInOrderWithQuotesAndBackslashesEscaped() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (RawHttp http = raw()) {
                http.exchange(getRequest("/hello.txt?from=log"));
                http.exchange(getRequest("/missing?from=log"));
                http.exchange(getRequest("/hello.txt?q=\"x\\y\"&from=log"));
            }
            // Written off the request threads (AsyncLogWriterTest times it): wait for the last line.
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> captured.toString(StandardCharsets.UTF_8).contains("&from=log"));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).containsPattern("http-lite 127\\.0\\.0\\.1:\\d+ \"GET /hello\\.txt\\?from=log HTTP/1\\.1\" 200 13 [0-9.]+ms")
                .containsPattern("\"GET /missing\\?from=log HTTP/1\\.1\" 404 14 ")
                .contains("\"GET /hello.txt?q=\\\"x\\\\y\\\"&from=log HTTP/1.1\" 200 13 ");
        assertThat(log.indexOf("/hello.txt?from=log")).as("in the order of the requests")
                .isLessThan(log.indexOf("/missing?from=log"));
        assertThat(log.indexOf("/missing?from=log")).isLessThan(log.indexOf("&from=log"));
    }
}
