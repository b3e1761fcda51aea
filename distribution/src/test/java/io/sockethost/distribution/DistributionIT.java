package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.HostProcess.Finished;

/**
 * The built zip, unpacked into a folder whose path has a space and run with {@code bin/sockethost} as a
 * separate process from another working directory, as an operator would. Every server is moved to an
 * ephemeral port by an override file, and the bound ports are read from the startup lines.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher, and sends signals with kill")
class DistributionIT extends InstalledDistribution {
    static final Duration START = Duration.ofSeconds(90);
    static final Duration STOP = Duration.ofSeconds(30);
    static final Duration QUICK_COMMAND = Duration.ofSeconds(60);
    private static final int IO_TIMEOUT_MILLIS = 15_000;
    /** Host's startup line: "server NAME (PLUGIN) listening on TRANSPORT ADDRESS [CONCURRENCY]". */
    private static final Pattern SERVER_LINE = Pattern.compile("server (\\S+) \\((\\S+)\\) listening on (\\S+) (.+) \\[[^\\]]*\\]$");
    private static final Pattern STARTED = Pattern.compile("sockethost started (\\d+) server\\(s\\) from (\\d+) plugin\\(s\\) in \\d+ ms");
    static final Pattern STOPPING = Pattern.compile("stopping: no new requests");

    /** A server as its startup line announced it. */
    record Announced(String name, String plugin, String transport, String address) {
        InetSocketAddress inet() {
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
        }

        /** What a restart must reproduce: everything but an ephemeral port. */
        List<String> identity() {
            String where = transport.startsWith("unix") ? address : address.substring(0, address.lastIndexOf(':'));
            return List.of(name, plugin, transport, where);
        }
    }

    /** Waits for the summary line and returns the servers announced before it, by name. */
    static Map<String, Announced> awaitStarted(HostProcess host) throws InterruptedException {
        Matcher summary = host.awaitLog(STARTED, START);
        Map<String, Announced> servers = new LinkedHashMap<>();
        host.forEachLog(SERVER_LINE, m -> servers.put(m.group(1), new Announced(m.group(1), m.group(2), m.group(3), m.group(4))));
        assertThat(servers).as(host.transcript()).hasSize(Integer.parseInt(summary.group(1)));
        return servers;
    }

    static void stopWithSigterm(HostProcess host) throws IOException, InterruptedException {
        host.signal("TERM");
        assertThat(host.awaitExit(STOP)).as(host.transcript()).isZero();
        assertThat(host.stderr()).as(host.transcript()).anyMatch(line -> line.endsWith("stopped"));
    }

    /** An extra server on a Unix socket in run/, from echo-tcp. */
    static ObjectNode unixEcho() {
        ObjectNode servers = StrictJson.MAPPER.createObjectNode();
        servers.putObject("echo-unix").put("from", "echo-tcp").put("transport", "unix-stream").put("address", "run/echo.sock");
        return servers;
    }

    @Test
    void theArchivesHoldTheOperatorsLayout() throws Exception {
        Path home = install.home();
        for (String folder : List.of("bin", "lib", "plugins", "conf", "www", "logs", "run")) {
            assertThat(home.resolve(folder)).as(folder).isDirectory();
        }
        assertThat(install.launcher()).isExecutable();
        assertThat(home.resolve("bin/sockethost.bat")).isRegularFile();
        assertThat(home.resolve("conf/simplelogger.properties")).content().contains("org.slf4j.simpleLogger.log.org.pf4j=warn");
        assertThat(home.resolve("conf/sockethost.service")).content().contains("ExecStart=/opt/sockethost/bin/sockethost run");
        assertThat(home.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
        assertThat(home.resolve("README")).content().contains("Exit codes");
        assertThat(install.lib("server-core-")).isRegularFile();
        assertThat(install.lib("slf4j-simple-")).isRegularFile();
        assertThat(install.lib("sockethost-launcher-")).isRegularFile();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).as("picocli is in the launcher's jar, relocated")
                    .noneMatch(n -> n.startsWith("picocli"));
        }
        assertThat(home.resolve("conf/logrotate")).content().contains("copytruncate", "/opt/sockethost/logs/*.log");
        try (Stream<Path> plugins = Files.list(install.plugins())) {
            assertThat(plugins.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("plugin-echo-"))
                    .anyMatch(n -> n.startsWith("plugin-uppercase-")).anyMatch(n -> n.startsWith("plugin-greeting-"));
        }
        assertThat(install.shippedServers()).contains("echo-tcp", "echo-udp", "uppercase-tcp", "greeting-tcp", "greeting-udp");

        Path zip = Path.of(System.getProperty("distribution.zip"));
        Path tarGz = zip.resolveSibling(zip.getFileName().toString().replace(".zip", ".tar.gz"));
        Set<String> zipEntries = new TreeSet<>();
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            zipFile.stream().forEach(e -> zipEntries.add(e.getName().replaceAll("/$", "")));
        }
        Process tar = new ProcessBuilder("tar", "-tzf", tarGz.toString()).redirectErrorStream(true).start();
        Set<String> tarEntries = new TreeSet<>();
        try (InputStream listing = tar.getInputStream()) {
            new String(listing.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(l -> tarEntries.add(l.replaceAll("/$", "")));
        } finally {
            assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(tarEntries).isEqualTo(zipEntries);
        // The README's quick start runs the host in target/'s installation folder: what a run leaves there (a
        // class-data-sharing archive, sockets, logs) must not reach the next build's archives.
        assertThat(zipEntries).filteredOn(e -> e.matches("[^/]+/(run|logs)/.+")).as("files in run/ and logs/").isEmpty();
    }

    @Test
    void everyBundledServerAnswersAndSigtermStopsCleanly() throws Exception {
        install.writeTestOverrides("test", 10, unixEcho());
        Path socketFile = install.home().resolve("run/echo.sock");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(servers.keySet()).containsAll(install.shippedServers()).contains("echo-unix");
            assertThat(servers.get("echo-tcp").plugin()).isEqualTo("echo");
            assertThat(servers.get("uppercase-tcp").plugin()).isEqualTo("uppercase");

            assertThat(tcp(servers.get("echo-tcp"), "hello, sockethost\n")).isEqualTo("hello, sockethost\n");
            assertThat(udp(servers.get("echo-udp"), "ping over udp")).isEqualTo("ping over udp");
            assertThat(tcp(servers.get("uppercase-tcp"), "Make Me Loud\n")).isEqualTo("MAKE ME LOUD\n");
            assertThat(unix(socketFile, "over a unix socket\n")).isEqualTo("over a unix socket\n");
            assertThat(tcp(servers.get("greeting-tcp"), "Ann")).isEqualTo("Welcome!Hello, Ann!");
            assertThat(udp(servers.get("greeting-udp"), "Ann")).isEqualTo("Hello, Ann!");
            // Plugins bundled later have protocols of their own: each of their tcp servers at least accepts.
            for (Announced server : servers.values()) {
                if (server.transport().equals("tcp")) {
                    try (Socket socket = new Socket()) {
                        socket.connect(server.inet(), IO_TIMEOUT_MILLIS);
                    }
                }
            }

            assertThat(socketFile).exists();
            stopWithSigterm(host);
            assertThat(socketFile).doesNotExist();
        }
        assertThat(archives()).as("the first run leaves a class-data-sharing archive (an AOT cache on Java 25+) for faster starts")
                .isNotEmpty();
        try (Stream<Path> left = Files.list(elsewhere)) {
            assertThat(left).as("files written to the working directory").isEmpty();
        }
    }

    @Test
    void aForkingServerGetsItsConnectionsHandedOverAndNothingWarnsOnStderr() throws Exception {
        ObjectNode servers = StrictJson.MAPPER.createObjectNode();
        servers.putObject("echo-forking").put("from", "echo-tcp").put("address", "127.0.0.1:0").putObject("concurrency")
                .put("mode", "forking").put("maxChildren", 2).put("requestsPerChild", 0).put("warmWorkers", 1);
        install.writeTestOverrides("test", 10, servers);
        for (String run : List.of("first", "second")) {
            try (HostProcess host = start()) {
                Map<String, Announced> announced = awaitStarted(host);
                assertThat(tcp(announced.get("echo-forking"), "served by a worker\n")).isEqualTo("served by a worker\n");
                assertThat(tcp(announced.get("echo-forking"), "and again\n")).isEqualTo("and again\n");
                List<String> workerArguments = ProcessHandle.of(host.pid()).orElseThrow().descendants()
                        .flatMap(p -> p.info().arguments().stream()).flatMap(Arrays::stream).toList();
                stopWithSigterm(host);
                // The launcher's JVM options: the host may take the accepted socket's descriptor (else it would
                // say that it relays), and junixsocket's native library loads without Java 22+'s warning.
                assertThat(host.stderr()).as(host.transcript())
                        .noneMatch(line -> line.contains("relays each connection"))
                        .noneMatch(line -> line.contains("WARNING"));
                if (run.equals("second")) {
                    // The first run made the launcher's class-data-sharing archive; workers map it too.
                    assertThat(workerArguments).as("worker JVM arguments")
                            .anyMatch(a -> a.matches("-XX:(SharedArchiveFile|AOTCache)=.*/run/cds-\\d+\\.(jsa|aot)"));
                }
            }
        }
    }

    @Test
    void aRebuiltJarGetsANewClassDataSharingArchiveInPlaceOfTheOld() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        try (HostProcess first = start()) {
            awaitStarted(first);
            stopWithSigterm(first);
        }
        List<String> before = archives();
        assertThat(before).as("the first run's archive").hasSize(1);

        // A rebuilt jar of the same name: same path, other time stamp.
        Path core = install.lib("server-core-");
        Files.setLastModifiedTime(core, FileTime.from(Files.getLastModifiedTime(core).toInstant().minusSeconds(3600)));
        try (HostProcess second = start()) {
            awaitStarted(second);
            stopWithSigterm(second);
        }
        assertThat(archives()).as("a new archive for the new jar, and the old one gone").hasSize(1).doesNotContainAnyElementsOf(before);
    }

    @Test
    void onlyTheHostMakesTheArchiveNotACommandBesideIt() throws Exception {
        // 'reload' runs while the host's first run has yet to write the archive (at its exit): made by the
        // reload command instead, it would hold that command's classes, not the host's
        Finished reload = runToEnd("reload");
        assertThat(reload.err()).as(reload.toString()).contains("no running host");
        assertThat(archives()).isEmpty();
    }

    private List<String> archives() throws IOException {
        try (Stream<Path> run = Files.list(install.home().resolve("run"))) {
            return run.map(p -> p.getFileName().toString()).filter(n -> n.matches("cds-\\d+\\.(jsa|aot)")).toList();
        }
    }

    @Test
    void aThirdPartyPluginDroppedIntoPluginsIsServedAfterARestart() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        try (HostProcess before = start()) {
            assertThat(awaitStarted(before)).doesNotContainKey(ThirdPartyPlugin.SERVER);
            stopWithSigterm(before);
        }

        ThirdPartyPlugin.build(temp.resolve("greeter build"), List.of(install.lib("server-api-"), install.lib("pf4j-")),
                install.plugins().resolve("greeter-0.1.0.jar"));

        try (HostProcess after = start()) {
            Map<String, Announced> servers = awaitStarted(after);
            assertThat(servers.get(ThirdPartyPlugin.SERVER).plugin()).isEqualTo(ThirdPartyPlugin.ID);
            assertThat(tcp(servers.get(ThirdPartyPlugin.SERVER), "operator\nworld\n"))
                    .isEqualTo("hello, operator (from greeter-tcp)\nhello, world (from greeter-tcp)\n");
            assertThat(tcp(servers.get("echo-tcp"), "still here\n")).isEqualTo("still here\n");
            stopWithSigterm(after);
        }
    }

    @Test
    void loginAuthAndHttpLiteServeTheirProtocols() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        addLoginUser("alice", "wonderland");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            try (Socket socket = connect(servers.get("login-auth"))) {
                java.io.BufferedReader in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                String[][] exchanges = {{"Now client connect to Server", "OK,I am ready"}, {"username:alice", "valid"},
                    {"userpasswd:wonderland", "valid"}};
                for (String[] exchange : exchanges) {
                    out.write((exchange[0] + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    assertThat(in.readLine()).isEqualTo(exchange[1]);
                }
                assertThat(in.readLine()).endsWith("broken connect with server");
                assertThat(in.readLine()).as("the server closes after the goodbye").isNull();
            }
            String page = tcp(servers.get("http-lite"), "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(page).startsWith("HTTP/1.1 200 OK").contains(Files.readString(install.home().resolve("www/index.html")));
            stopWithSigterm(host);
        }
    }

    @Test
    void theExamplePluginBuiltAgainstTheApiAloneRunsInTheDistribution() throws Exception {
        ObjectNode hello = StrictJson.MAPPER.createObjectNode();
        hello.putObject("hello").put("address", "127.0.0.1:0");
        install.writeTestOverrides("test", 10, hello);
        Path example = Path.of(System.getProperty("example.plugin.jar"));
        Files.copy(example, install.plugins().resolve(example.getFileName()));
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(servers.get("hello").plugin()).isEqualTo("hello");
            assertThat(tcp(servers.get("hello"), "Ada\n")).isEqualTo("Hello, Ada!\n");
            stopWithSigterm(host);
        }
    }

    @Test
    void aLogFileKeepsEveryRunAndStaysWholeThroughALogrotateCopytruncate() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        Path properties = install.conf().resolve("simplelogger.properties");
        Files.writeString(properties, Files.readString(properties).replace("org.slf4j.simpleLogger.logFile=System.err",
                "org.slf4j.simpleLogger.logFile=logs/sockethost.log"));
        Path log = install.home().resolve("logs/sockethost.log");
        try (HostProcess first = start()) {
            awaitInLog(log, STARTED, 1);
            first.signal("TERM");
            assertThat(first.awaitExit(STOP)).as(first.transcript()).isZero();
        }
        try (HostProcess second = start()) {
            awaitInLog(log, STARTED, 2);
            assertThat(Files.readString(log)).as("the first run's log, kept by the second").contains("stopped");
            Path rotated = copytruncate(log);
            assertThat(rotated).content().contains("sockethost started");
            second.signal("TERM");
            assertThat(second.awaitExit(STOP)).as(second.transcript()).isZero();
        }
        byte[] after = Files.readAllBytes(log);
        assertThat(after).as("no hole of NUL bytes where the lines before the rotation were").doesNotContain((byte) 0);
        assertThat(new String(after, StandardCharsets.UTF_8)).as("what the running host wrote after the rotation")
                .contains("stopping: no new requests").contains("stopped").doesNotContain("sockethost started");
    }

    /** Waits until {@code log} holds {@code count} lines matching {@code pattern}. */
    private static void awaitInLog(Path log, Pattern pattern, int count) {
        await().atMost(START).pollInterval(Duration.ofMillis(50)).until(
                () -> Files.exists(log) && pattern.matcher(Files.readString(log)).results().count() >= count);
    }

    /**
     * Rotates {@code log} with logrotate's copytruncate: with the shipped {@code conf/logrotate}, pointed at
     * this installation, when logrotate is installed, or else by its two steps (copy, then empty in place).
     *
     * @return the rotated copy
     */
    private Path copytruncate(Path log) throws IOException, InterruptedException {
        Path rotated = log.resolveSibling(log.getFileName() + ".1");
        Path logrotate = Stream.concat(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "logrotate")).filter(Files::isExecutable).findFirst().orElse(null);
        if (logrotate == null) {
            Files.copy(log, rotated);
            try (FileChannel file = FileChannel.open(log, StandardOpenOption.WRITE)) {
                file.truncate(0);
            }
            return rotated;
        }
        // this test's user instead of the service user, and the installation's folder, whose path has a space
        String conf = Files.readString(install.conf().resolve("logrotate"))
                .replaceAll("(?m)^\\s*su .*$", "")
                .replace("/opt/sockethost/logs/*.log", "\"" + log.getParent() + "/*.log\"");
        Path confFile = Files.writeString(temp.resolve("logrotate.conf"), conf);
        Process run = new ProcessBuilder(logrotate.toString(), "--force", "--state", temp.resolve("logrotate.state").toString(),
                confFile.toString()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(QUICK_COMMAND.toSeconds(), TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        return rotated;
    }

    @Test
    void aSecondSigtermForcesTheExitWhileARequestIsStillRunning() throws Exception {
        install.writeTestOverrides("test", 600, unixEcho());
        Path socketFile = install.home().resolve("run/echo.sock");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            // A stop drains requests (their next read sees the end of input), so the request held here is
            // one that is writing: a 64 MiB download the client does not read, whose writes block.
            try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(install.home().resolve("www/big.bin").toFile(), "rw")) {
                big.setLength(64L << 20);
            }
            try (Socket held = connect(servers.get("http-lite"))) {
                held.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                assertThat(held.getInputStream().read()).as("the download is running").isEqualTo('H');
                host.signal("TERM");
                host.awaitLog(STOPPING, STOP);
                assertThat(host.isAlive()).as("waits for the running request").isTrue();
                host.signal("TERM");
                assertThat(host.awaitExit(STOP)).as(host.transcript()).isEqualTo(1);
            }
            assertThat(host.stderr()).anyMatch(l -> l.contains("second signal: exiting without waiting"));
            assertThat(socketFile).doesNotExist();
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the signal mask from /proc")
    void ctrlCStopsCleanly() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        try (HostProcess host = start()) {
            awaitStarted(host);
            // A process started from a non-interactive shell in the background inherits SIGINT ignored; the JVM
            // then (rightly) keeps ignoring it, as nohup intends. Ctrl-C cannot be tested there.
            assumeFalse(ignoresSigint(host.pid()), "SIGINT is ignored in this environment (inherited from the build)");
            host.signal("INT");
            assertThat(host.awaitExit(STOP)).as(host.transcript()).isZero();
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the signal mask from /proc")
    void aHostStartedWithSighupIgnoredSaysSoAndReloadRefusesItWithTheReason() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        // as nohup starts it: SIGHUP ignored, which the JVM keeps
        try (HostProcess host = HostProcess.start(Path.of("/bin/sh"), temp, environment, "-c", "trap '' HUP; exec \"$0\"",
                install.launcher().toString())) {
            awaitStarted(host);
            assertThat(host.stderr()).as(host.transcript()).anyMatch(l -> l.contains("WARN")
                    && l.contains("SIGHUP was ignored when this process started") && l.contains("host.watchPlugins"));
            Finished reload = runToEnd("reload");
            assertThat(reload.status()).as(reload.toString()).isEqualTo(1);
            assertThat(reload.err()).contains("ignores SIGHUP", "cannot reload");
            host.signal("TERM");
            assertThat(host.awaitExit(STOP)).as("SIGTERM still stops it cleanly: " + host.transcript()).isZero();
        }
    }

    private static boolean ignoresSigint(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }

    @Test
    void checkPassesOnTheShippedConfAndListsEveryProblemOfABrokenOne() throws Exception {
        Finished good = runToEnd("check");
        assertThat(good.status()).as(good.toString()).isZero();
        assertThat(good.out()).contains("OK: ");

        Path broken = Files.createDirectories(install.conf().resolve("servers")).resolve("broken.json");
        Files.writeString(broken, """
                {"servers": {
                  "echo-tcp": {"concurrency": {"mode": "bogus"}},
                  "uppercase-tcp": {"address": "127.0.0.1:99999"},
                  "echo-udp": {"colour": "blue"}
                }}
                """);
        Finished bad = runToEnd("check");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(3);
        assertThat(bad.out())
                .contains(broken + ": servers.echo-tcp.concurrency.mode: \"bogus\" is not allowed; allowed: sync, threading")
                .contains(broken + ": servers.uppercase-tcp.address: port 99999 in \"127.0.0.1:99999\" is out of range")
                .contains(broken + ": servers.echo-udp.colour: unknown field \"colour\"")
                .contains("3 problems:");

        Finished run = runToEnd("run");
        assertThat(run.status()).as("run refuses the broken configuration").isEqualTo(3);
        assertThat(run.err()).contains(broken + ": servers.echo-tcp.concurrency.mode");
    }

    @Test
    void pluginsListsACorruptJarWithItsErrorAndRunServesTheOthers() throws Exception {
        Files.writeString(install.plugins().resolve("corrupt-plugin.jar"), "not a zip at all");
        Finished plugins = runToEnd("plugins");
        assertThat(plugins.status()).as(plugins.toString()).isZero();
        assertThat(plugins.out())
                .containsPattern("(?m)^echo \\S+  loaded  plugins/plugin-echo-\\S+\\.jar$")
                .containsPattern("(?m)^uppercase \\S+  loaded  plugins/plugin-uppercase-\\S+\\.jar$")
                .containsPattern("(?m)^plugins/corrupt-plugin\\.jar: skipped: not a readable jar .+$")
                .contains("server echo-tcp  tcp 127.0.0.1:8000");

        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(host.stderr()).anyMatch(l -> l.contains("WARN") && l.contains("plugin jar plugins/corrupt-plugin.jar skipped: "
                    + "not a readable jar"));
            assertThat(tcp(servers.get("echo-tcp"), "despite the corrupt jar\n")).isEqualTo("despite the corrupt jar\n");
            stopWithSigterm(host);
        }
    }

    @Test
    void configOutputFedBackAsTheConfStartsTheSameServers() throws Exception {
        install.writeTestOverrides("test", 7, unixEcho());
        List<List<String>> before = new ArrayList<>();
        try (HostProcess host = start()) {
            awaitStarted(host).values().forEach(s -> before.add(s.identity()));
            stopWithSigterm(host);
        }

        Finished config = runToEnd("config");
        assertThat(config.status()).as(config.toString()).isZero();
        JsonNode printed = StrictJson.MAPPER.readTree(config.out());
        assertThat(printed.path("host").path("shutdownTimeout").asInt()).isEqualTo(7);
        assertThat(printed.path("servers").path("echo-unix").path("plugin").asText()).isEqualTo("echo");

        deleteTree(install.conf().resolve("servers"));
        Files.writeString(install.conf().resolve("sockethost.json"), config.out());
        assertThat(runToEnd("check").status()).isZero();
        List<List<String>> after = new ArrayList<>();
        try (HostProcess host = start()) {
            awaitStarted(host).values().forEach(s -> after.add(s.identity()));
            stopWithSigterm(host);
        }
        assertThat(after).isEqualTo(before);
        assertThat(runToEnd("config").out()).as("a fixed point").isEqualTo(config.out());
    }

    /** Written on the build's Java, the shipped conf must not pin that Java's defaults on another. */
    @Test
    void theShippedConfLeavesVirtualThreadsAndTheirCapsToTheJavaThatRuns() throws Exception {
        JsonNode shipped = install.shippedConf().path("servers").path("echo-tcp");
        assertThat(shipped.path("concurrency").get("virtualThreads").isNull()).as(shipped.toString()).isTrue();
        assertThat(shipped.path("concurrency").get("maxWorkers").isNull()).as(shipped.toString()).isTrue();
        assertThat(shipped.path("verify").get("maxConnectionsPerClient").isNull()).as(shipped.toString()).isTrue();
        Finished config = runToEnd("config");
        assertThat(config.status()).as(config.toString()).isZero();
        JsonNode running = StrictJson.MAPPER.readTree(config.out()).path("servers").path("echo-tcp");
        boolean virtual = Runtime.version().feature() >= 21;
        assertThat(running.path("concurrency").path("virtualThreads").asBoolean()).as(running.toString()).isEqualTo(virtual);
        assertThat(running.path("concurrency").path("maxWorkers").asInt()).isEqualTo(virtual ? 10_000 : 256);
    }

    @Test
    void theLauncherFindsJavaHonoursJavaOptsAndWorksThroughALink() throws Exception {
        environment.put("JAVA_OPTS", "-XshowSettings:properties -Dsockethost.probe=from-java-opts");
        Finished withOpts = runToEnd("--version");
        assertThat(withOpts.status()).isZero();
        assertThat(withOpts.out()).startsWith("sockethost " + System.getProperty("distribution.name").substring("sockethost-".length()));
        assertThat(withOpts.err()).contains("sockethost.probe = from-java-opts");
        environment.remove("JAVA_OPTS");

        environment.put("JAVA_HOME", null);
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        assertThat(runToEnd("check", "--help").out()).contains("Usage: sockethost check");

        Path noJava = Files.createDirectories(temp.resolve("path without java"));
        for (String tool : List.of("dirname", "ls", "sed")) {
            Files.createSymbolicLink(noJava.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        environment.put("PATH", noJava.toString());
        Finished missing = runToEnd("--version");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("no java on PATH");

        environment.put("JAVA_HOME", temp.resolve("no such jdk").toString());
        Finished wrongHome = runToEnd("--version");
        assertThat(wrongHome.status()).isEqualTo(1);
        assertThat(wrongHome.err()).contains("JAVA_HOME is " + temp.resolve("no such jdk"));

        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.remove("PATH");
        Path link = Files.createSymbolicLink(Files.createDirectories(temp.resolve("links")).resolve("sockethost"), install.launcher());
        try (HostProcess viaLink = HostProcess.start(link, elsewhere, environment, "check")) {
            assertThat(viaLink.awaitExit(QUICK_COMMAND)).as(viaLink.transcript()).isZero();
            String conf = install.conf().toRealPath().toString();
            assertThat(viaLink.stdout()).anyMatch(l -> l.contains("checked " + conf));
        }
    }

    static Socket connect(Announced server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server.inet(), IO_TIMEOUT_MILLIS);
        socket.setSoTimeout(IO_TIMEOUT_MILLIS);
        return socket;
    }

    /** Sends {@code text}, half-closes, and returns everything the server sent until it closed. */
    static String tcp(Announced server, String text) throws IOException {
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String udp(Announced server, String text) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, server.inet()));
            DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
            socket.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
        }
    }

    private static String unix(Path socketFile, String text) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            // A blocking channel has no read timeout; the test's @Timeout bounds this read.
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
