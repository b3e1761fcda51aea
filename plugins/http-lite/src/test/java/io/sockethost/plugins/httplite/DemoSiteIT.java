package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.testkit.PluginHost;

/**
 * The demo site the distribution ships ({@code plugins/http-lite/www}), fetched by real clients outside the
 * JVM: curl and Python's urllib. A test is skipped, saying why, when its tool is not on the machine.
 */
@Timeout(90)
class DemoSiteIT {
    private static final Path DEMO = Path.of(System.getProperty("demo.root", "www")).toAbsolutePath();
    private static final String TITLE = "<title>sockethost http-lite</title>";

    @TempDir
    Path temp;

    private static PluginHost startOn(Path root) throws Exception {
        return PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")))
                .override("{\"servers\": {\"http-lite\": {\"settings\": {\"root\": \""
                        + root.toString().replace("\\", "\\\\") + "\"}}}}")
                .start();
    }

    private static String url(PluginHost host, String path) {
        return "http://127.0.0.1:" + host.inetAddress("http-lite").getPort() + path;
    }

    @Test
    void curlFetchesThePageAndItsStylesheet() throws Exception {
        assumeTool("curl", "--version");
        try (PluginHost host = startOn(DEMO)) {
            Result page = run("curl", "-v", "-sS", "--max-time", "20", url(host, "/"));
            assertThat(page.exit()).as(page.stderr()).isZero();
            assertThat(page.stdout()).contains(TITLE);
            assertThat(page.stderr()).contains("< HTTP/1.1 200 OK").containsIgnoringCase("< content-type: text/html; charset=utf-8");
            Result css = run("curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code} %{content_type}",
                    url(host, "/style.css"));
            assertThat(css.stdout()).isEqualTo("200 text/css; charset=utf-8");
        }
    }

    @Test
    void pythonUrllibFetchesThePage() throws Exception {
        assumeTool("python3", "--version");
        String script = "import sys, urllib.request\n"
                + "with urllib.request.urlopen(sys.argv[1], timeout=20) as r:\n"
                + "    print(r.status, r.headers['Content-Type'])\n"
                + "    sys.stdout.write(r.read().decode('utf-8'))\n";
        try (PluginHost host = startOn(DEMO)) {
            Result result = run("python3", "-c", script, url(host, "/index.html"));
            assertThat(result.exit()).as(result.stderr()).isZero();
            assertThat(result.stdout()).startsWith("200 text/html; charset=utf-8").contains(TITLE);
        }
    }

    @Test
    void theDescriptorServesWwwInTheInstallationFolderByDefault() throws Exception {
        assumeTrue(Files.isRegularFile(DEMO.resolve("index.html")), "the demo site is not at " + DEMO);
        PluginHost.Builder builder = PluginHost.builder().plugin(Path.of(System.getProperty("plugin.jar")));
        for (String file : new String[] {"index.html", "style.css"}) {
            builder.file("www/" + file, Files.readAllBytes(DEMO.resolve(file)));
        }
        try (PluginHost host = builder.start()) {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(host, "/"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo(Files.readString(DEMO.resolve("index.html")));
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static void assumeTool(String... versionCommand) {
        try {
            Process p = new ProcessBuilder(versionCommand).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean done = p.waitFor(20, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assumeTrue(done && p.exitValue() == 0, versionCommand[0] + " does not run here; skipping");
        } catch (IOException e) {
            assumeTrue(false, versionCommand[0] + " is not installed; skipping (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            assumeTrue(false, "interrupted");
        }
    }

    private Result run(String... command) throws Exception {
        Path out = temp.resolve("out-" + System.nanoTime());
        Path err = temp.resolve("err-" + System.nanoTime());
        Process process = new ProcessBuilder(List.of(command)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(new ArrayList<>(List.of(command)) + " did not finish in 60 s");
            }
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
