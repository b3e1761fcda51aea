package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sockethost.testkit.PluginHost;

/**
 * Attack paths against the real server: climbing out with dots (plain, encoded, double-encoded, overlong
 * UTF-8), encoded and mixed separators, NUL bytes, absolute-form targets, and symbolic links that lead out
 * of the root. Each is answered 400 or 404 and never with a byte of a file outside the root, which holds a
 * marker that no response may contain.
 */
@Timeout(60)
class PathTraversalIT {
    private static final String SECRET = "TOP-SECRET-7f3a";

    @TempDir
    static Path temp;
    private static PluginHost host;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        Path www = Files.createDirectories(temp.resolve("www"));
        Files.writeString(www.resolve("public.txt"), "public\n");
        Files.createDirectories(www.resolve("sub"));
        Files.writeString(temp.resolve("secret.txt"), SECRET);
        Files.createDirectories(temp.resolve("www-private"));
        Files.writeString(temp.resolve("www-private/key"), SECRET);
        Files.createSymbolicLink(www.resolve("leak"), Path.of("../secret.txt"));
        Files.createSymbolicLink(www.resolve("leakdir"), temp);
        Files.createSymbolicLink(www.resolve("private-link"), Path.of("../www-private"));
        Files.createSymbolicLink(www.resolve("sub/up"), Path.of("../.."));
        Files.createSymbolicLink(www.resolve("public-link.txt"), www.resolve("public.txt"));
        String root = www.toString().replace("\\", "\\\\");
        host = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")))
                .override("{\"servers\": {\"http-lite\": {\"settings\": {\"root\": \"" + root
                        + "\", \"listDirectories\": true, \"keepAliveTimeout\": 1}}}}")
                .start();
        address = host.inetAddress("http-lite");
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    static List<String> attacks() {
        return List.of(
                "/../secret.txt",
                "/../../../../../../etc/passwd",
                "/%2e%2e/secret.txt",
                "/%2E%2E/secret.txt",
                "/.%2e/secret.txt",
                "/%2e./secret.txt",
                "/..%2fsecret.txt",
                "/%2e%2e%2fsecret.txt",
                "/..%5csecret.txt",
                "/..\\secret.txt",
                "/sub\\..\\..\\secret.txt",
                "/%252e%252e/secret.txt",
                "/%252e%252e%252fsecret.txt",
                "/....//secret.txt",
                "/./../secret.txt",
                "/sub/../../secret.txt",
                "/sub/%2e%2e/%2e%2e/secret.txt",
                "/public.txt%00.html",
                "/public.txt%00/../../secret.txt",
                "/.%00./secret.txt",
                "/..%09/secret.txt",
                "/%c0%ae%c0%ae/secret.txt",
                "/%e0%80%ae%e0%80%ae/secret.txt",
                "/%c0%af../secret.txt",
                "/%u002e%u002e/secret.txt",
                "/..;/secret.txt",
                "//etc/passwd",
                "/etc/passwd",
                "///../secret.txt",
                "http://localhost/../secret.txt",
                "http://localhost/%2e%2e/secret.txt",
                "file:///etc/passwd",
                "/leak",
                "/leakdir/secret.txt",
                "/leakdir/",
                "/leakdir/www-private/key",
                "/private-link/key",
                "/../www-private/key",
                "/sub/up/secret.txt",
                "/sub/up/",
                "/..",
                "/%2e%2e");
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void isRefusedWith400Or404AndLeaksNothing(String target) throws Exception {
        try (RawHttp http = new RawHttp(address)) {
            RawHttp.Response response = http.exchange("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(response.status()).as(target).isIn(400, 404);
            assertThat(response.text()).doesNotContain(SECRET).doesNotContain("root:");
        }
    }

    @Test
    void thereAreAtLeastTwentyAttacksAndTheHarnessCanSeeAFile() throws Exception {
        assertThat(attacks()).hasSizeGreaterThanOrEqualTo(20);
        try (RawHttp http = new RawHttp(address)) {
            assertThat(http.exchange("GET /public.txt HTTP/1.1\r\nHost: t\r\n\r\n").text()).isEqualTo("public\n");
            assertThat(http.exchange("GET /public-link.txt HTTP/1.1\r\nHost: t\r\n\r\n").text())
                    .as("a link that stays inside the root is served").isEqualTo("public\n");
            RawHttp.Response listing = http.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(listing.text()).contains("public.txt").doesNotContain("leak").doesNotContain("private-link");
        }
    }
}
