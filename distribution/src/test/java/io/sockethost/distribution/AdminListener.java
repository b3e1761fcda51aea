package io.sockethost.distribution;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A running host's admin listener ({@code host.admin.address}), as a test reads it: {@code /metrics} samples
 * and the {@code /health} status. Immutable; each call is one HTTP request with a 10 s timeout.
 */
record AdminListener(String address) {
    /** The host's start-up line naming the admin listener's address (the test turns it on at 127.0.0.1:0). */
    static final Pattern ANNOUNCED = Pattern.compile("admin listener on http://(127\\.0\\.0\\.1:\\d+)/");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Writes {@code conf/servers/admin.json}, which turns the admin listener on at a free loopback port. */
    static void enable(Installation install) throws IOException {
        Files.createDirectories(install.conf().resolve("servers"));
        Files.writeString(install.conf().resolve("servers/admin.json"), "{\"host\": {\"admin\": {\"address\": \"127.0.0.1:0\"}}}");
    }

    /** Waits for the host's start-up line naming its admin listener. */
    static AdminListener of(HostProcess host) throws InterruptedException {
        return new AdminListener(host.awaitLog(ANNOUNCED, DistributionIT.START).group(1));
    }

    /** The value of {@code metric{server="<server>"}} now, or -1 when the scrape has no such sample. */
    double sample(String metric, String server) throws IOException, InterruptedException {
        return ObservabilityIT.sample(get("/metrics").body(), metric, server, null);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
