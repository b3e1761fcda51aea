package io.sockethost.distribution;

import static io.sockethost.distribution.DistributionIT.QUICK_COMMAND;
import static io.sockethost.distribution.DistributionIT.START;
import static io.sockethost.distribution.DistributionIT.STOP;
import static io.sockethost.distribution.DistributionIT.awaitStarted;
import static io.sockethost.distribution.DistributionIT.connect;
import static io.sockethost.distribution.DistributionIT.stopWithSigterm;
import static io.sockethost.distribution.DistributionIT.tcp;
import static io.sockethost.distribution.DistributionIT.unixEcho;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.DistributionIT.Announced;
import io.sockethost.distribution.HostProcess.Finished;

/**
 * Operating the distribution through {@code bin/sockethost}: a missing or unusable plugin leaves the other
 * servers serving; reload (SIGHUP or {@code sockethost reload}) changes only what changed, also with plugin
 * jars added, replaced and removed under load, and a broken configuration changes nothing; a plugin's
 * {@code System.exit} is logged and cleaned up after; SIGTERM while the host starts is an orderly stop;
 * refused clients are logged once a minute.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost, the POSIX launcher, and sends signals with kill")
class OperationsIT extends InstalledDistribution {
    private static final Pattern RELOADED = Pattern.compile("reloaded: (\\d+) server\\(s\\) kept, (\\d+) restarted, (\\d+) started, "
            + "(\\d+) stopped");
    private static final Path MISBEHAVING = Path.of(System.getProperty("misbehaving.jar"));

    private Path bundledJar(String prefix) throws IOException {
        try (Stream<Path> list = Files.list(install.plugins())) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    @Test
    void aMissingOrIncompatiblePluginSkipsItsServersWithOneWarningWhileTheOthersServe() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        Path conf = Files.writeString(install.conf().resolve("servers/login-auth.json"),
                "{\"servers\": {\"login-auth\": {\"readTimeout\": 30}}}");
        Path loginJar = bundledJar("plugin-login-auth-");
        rewriteDescriptor(loginJar, d -> d.replace(">=1.0.0 & <2.0.0", ">=9.0.0"));

        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(servers).doesNotContainKey("login-auth").containsKey("echo-tcp");
            List<String> warnings = host.stderr().stream().filter(l -> l.contains("WARN") && l.contains("login-auth")).toList();
            assertThat(warnings).as(host.transcript()).singleElement().satisfies(l -> assertThat(l)
                    .contains("plugin login-auth (plugins/" + loginJar.getFileName() + ") skipped: ")
                    .contains("requires sockethost \">=9.0.0\"").endsWith("servers not started: login-auth"));
            assertThat(tcp(servers.get("echo-tcp"), "served anyway\n")).isEqualTo("served anyway\n");
            stopWithSigterm(host);
        }

        Files.delete(loginJar);
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(servers).doesNotContainKey("login-auth");
            List<String> warnings = host.stderr().stream().filter(l -> l.contains("WARN") && l.contains("login-auth")).toList();
            assertThat(warnings).as(host.transcript()).singleElement().satisfies(l -> assertThat(l)
                    .contains("no loaded plugin declares these servers").contains("servers not started: login-auth (in conf/"));
            assertThat(tcp(servers.get("uppercase-tcp"), "loud\n")).isEqualTo("LOUD\n");
            stopWithSigterm(host);
        }

        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.toString()).isEqualTo(3);
        assertThat(check.out()).contains("servers.login-auth: no loaded plugin declares a server named \"login-auth\"");
        assertThat(conf).exists();
    }

    @Test
    void reloadKeepsAHeldConnectionRestartsWhatChangedAndABrokenConfigurationChangesNothing() throws Exception {
        install.writeTestOverrides("test", 10, unixEcho());
        Path pidFile = install.home().resolve("run/sockethost.pid");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(Files.readString(pidFile).trim()).isEqualTo(Long.toString(host.pid()));
            try (Socket held = connect(servers.get("echo-tcp"))) {
                assertThat(roundTrip(held, "before\n")).isEqualTo("before\n");

                Files.writeString(install.conf().resolve("servers/zz-move.json"),
                        "{\"servers\": {\"uppercase-tcp\": {\"address\": \"127.0.0.2:0\"}}}");
                Finished reload = runToEnd("reload");
                assertThat(reload.status()).as(reload.toString()).isZero();
                assertThat(reload.out()).contains("sent SIGHUP to sockethost (pid " + host.pid() + ")");
                Matcher outcome = host.awaitLog(RELOADED, START);
                assertThat(outcome.group(2)).as("restarted").isEqualTo("1");
                Announced moved = announced(host, "uppercase-tcp", "127.0.0.2:");
                List<String> log = host.stderr();
                assertThat(indexOf(log, "server uppercase-tcp (uppercase) listening on tcp 127.0.0.2:"))
                        .as("the new address listens before the old one closes").isNotNegative()
                        .isLessThan(indexOf(log, "server uppercase-tcp stopped"));
                assertThat(tcp(moved, "moved\n")).isEqualTo("MOVED\n");
                assertThat(roundTrip(held, "across the reload\n")).isEqualTo("across the reload\n");

                Path broken = Files.writeString(install.conf().resolve("servers/zz-broken.json"), """
                        {"servers": {"echo-tcp": {"concurrency": {"mode": "bogus"}},
                                     "uppercase-tcp": {"requestQueueSize": 0}}}""");
                host.signal("HUP");
                host.awaitLog(Pattern.compile("reload failed, nothing changed: 2 problem"), START);
                host.awaitLog(Pattern.compile(Pattern.quote(broken + ": servers.echo-tcp.concurrency.mode")), START);
                host.awaitLog(Pattern.compile(Pattern.quote(broken + ": servers.uppercase-tcp.requestQueueSize")), START);
                assertThat(tcp(moved, "unchanged\n")).isEqualTo("UNCHANGED\n");
                assertThat(roundTrip(held, "still here\n")).isEqualTo("still here\n");
            }
            stopWithSigterm(host);
        }
        assertThat(pidFile).doesNotExist();
        Finished noHost = runToEnd("reload");
        assertThat(noHost.status()).isEqualTo(1);
        assertThat(noHost.err()).contains("no running host");
    }

    @Test
    void pluginJarsAddedReplacedAndRemovedUnderLoadCauseNoErrorOnTheOtherServers() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        List<Path> api = List.of(install.lib("server-api-"), install.lib("pf4j-"));
        Path greeter = install.plugins().resolve("greeter-0.1.0.jar");
        try (HostProcess host = start(); Load load = new Load(awaitStarted(host).get("echo-tcp"))) {
            ThirdPartyPlugin.build(temp.resolve("v1"), api, temp.resolve("greeter-v1.jar"));
            Files.move(temp.resolve("greeter-v1.jar"), greeter);
            host.signal("HUP");
            assertThat(host.awaitLog(RELOADED, START).group(3)).as("started").isEqualTo("1");
            assertThat(tcp(announced(host, "greeter-tcp", "127.0.0.1:"), "operator\n")).isEqualTo("hello, operator (from greeter-tcp)\n");

            ThirdPartyPlugin.build(temp.resolve("v2"), api, temp.resolve("greeter-v2.jar"), "hi");
            Files.move(temp.resolve("greeter-v2.jar"), greeter, StandardCopyOption.REPLACE_EXISTING);
            host.signal("HUP");
            host.awaitLog(RELOADED, 2, START);
            assertThat(tcp(announced(host, "greeter-tcp", "127.0.0.1:"), "operator\n")).isEqualTo("hi, operator (from greeter-tcp)\n");

            Announced last = announced(host, "greeter-tcp", "127.0.0.1:");
            Files.delete(greeter);
            host.signal("HUP");
            host.awaitLog(RELOADED, 3, START);
            host.awaitLog(Pattern.compile("server greeter-tcp stopped"), START);
            try (Socket refused = new Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> refused.connect(last.inet(), 5000))
                        .isInstanceOf(ConnectException.class);
            }
            assertThat(load.finish()).as("round trips on echo-tcp during the reloads").isPositive();
            assertThat(host.stderr()).as(host.transcript()).noneMatch(l -> l.contains(" ERROR ") || l.contains("Exception"));
            stopWithSigterm(host);
        }
    }

    @Test
    void withWatchPluginsAJarDroppedIntoPluginsIsServedWithoutASignal() throws Exception {
        install.writeTestOverrides("test", 10, StrictJson.MAPPER.createObjectNode());
        Files.writeString(install.conf().resolve("servers/zz-watch.json"), "{\"host\": {\"watchPlugins\": true}}");
        try (HostProcess host = start()) {
            awaitStarted(host);
            host.awaitLog(Pattern.compile("host.watchPlugins: watching"), START);
            ThirdPartyPlugin.build(temp.resolve("build"), List.of(install.lib("server-api-"), install.lib("pf4j-")),
                    temp.resolve("greeter.jar"));
            Files.move(temp.resolve("greeter.jar"), install.plugins().resolve("greeter-0.1.0.jar"));
            assertThat(host.awaitLog(RELOADED, START).group(3)).as("started").isEqualTo("1");
            assertThat(tcp(announced(host, "greeter-tcp", "127.0.0.1:"), "watcher\n")).isEqualTo("hello, watcher (from greeter-tcp)\n");
            stopWithSigterm(host);
        }
    }

    @Test
    void aPluginCallingSystemExitInAThreadingServerIsLoggedAndItsSocketFilesRemoved() throws Exception {
        install.writeTestOverrides("test", 10, misbehavingInThreadingMode());
        Path socketFile = install.home().resolve("run/echo.sock");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = awaitStarted(host);
            assertThat(socketFile).exists();
            try (Socket socket = connect(servers.get("misbehaving"))) {
                socket.getOutputStream().write("exit 7\n".getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                assertThat(host.awaitExit(STOP)).as(host.transcript()).isEqualTo(7);
            }
            assertThat(host.stderr()).as(host.transcript()).anyMatch(l -> l.contains("ERROR") && l.contains("plugin code called System.exit"))
                    .anyMatch(l -> l.contains("at io.sockethost.testplugins.misbehaving.MisbehavingHandler.handle"));
            if (Runtime.version().feature() >= 21) {
                assertThat(host.stderr()).anyMatch(l -> l.contains("System.exit(7)"));
            }
        }
        assertThat(socketFile).doesNotExist();
        assertThat(install.home().resolve("run/sockethost.pid")).doesNotExist();
    }

    @Test
    void sigtermWhileServersAreStillStartingStopsInOrderWithStatusZero() throws Exception {
        ObjectNode extra = misbehavingInThreadingMode();
        ObjectNode slow = extra.putObject("slow-start");
        slow.put("from", "misbehaving").put("address", "127.0.0.1:0")
                .put("lifecycle", "io.sockethost.testplugins.misbehaving.SlowStartLifecycle");
        slow.putObject("concurrency").put("mode", "threading");
        slow.putObject("settings").put("startMillis", 600_000);
        install.writeTestOverrides("test", 10, extra);
        Path socketFile = install.home().resolve("run/echo.sock");
        try (HostProcess host = start()) {
            host.awaitLog(Pattern.compile("server echo-unix \\(echo\\) listening"), START);
            assertThat(socketFile).exists();
            host.signal("TERM");
            assertThat(host.awaitExit(STOP)).as(host.transcript()).isZero();
            assertThat(host.stderr()).as(host.transcript()).anyMatch(l -> l.endsWith("stopped"))
                    .noneMatch(l -> l.contains("sockethost started"));
        }
        assertThat(socketFile).doesNotExist();
    }

    @Test
    void refusedConnectionsAreLoggedOncePerClientAndMinute() throws Exception {
        ObjectNode extra = StrictJson.MAPPER.createObjectNode();
        install.writeTestOverrides("test", 10, extra);
        Files.writeString(install.conf().resolve("servers/zz-limit.json"),
                "{\"servers\": {\"echo-tcp\": {\"verify\": {\"maxConnectionsPerClient\": 1}}}}");
        try (HostProcess host = start()) {
            Announced echo = awaitStarted(host).get("echo-tcp");
            try (Socket held = connect(echo)) {
                assertThat(roundTrip(held, "first\n")).isEqualTo("first\n");
                for (int i = 0; i < 3; i++) {
                    try (Socket refused = connect(echo)) {
                        assertThat(refused.getInputStream().read()).as("closed at once").isEqualTo(-1);
                    }
                }
            }
            host.awaitLog(Pattern.compile("INFO .*server echo-tcp: refused client 127\\.0\\.0\\.1: over verify\\.maxConnectionsPerClient \\(1\\)"), START);
            assertThat(host.stderr()).filteredOn(l -> l.contains("refused client")).hasSize(1);
            stopWithSigterm(host);
        }
    }

    /**
     * Drops the misbehaving test plugin into {@code plugins/}: its server runs in the host's JVM (threading), and
     * echo-unix gives the host a socket file to remove.
     */
    private ObjectNode misbehavingInThreadingMode() throws IOException {
        Files.copy(MISBEHAVING, install.plugins().resolve(MISBEHAVING.getFileName()));
        ObjectNode extra = unixEcho();
        extra.putObject("misbehaving").put("address", "127.0.0.1:0").putObject("concurrency").put("mode", "threading");
        return extra;
    }

    /** The address a server announced last (after a reload it announces again), checked to start with {@code prefix}. */
    private static Announced announced(HostProcess host, String name, String prefix) throws InterruptedException {
        host.awaitLog(Pattern.compile("server " + Pattern.quote(name) + " \\(\\S+\\) listening on tcp " + Pattern.quote(prefix)), START);
        AtomicReference<Announced> last = new AtomicReference<>();
        host.forEachLog(Pattern.compile("server " + Pattern.quote(name) + " \\((\\S+)\\) listening on (\\S+) (\\S+) \\["),
                m -> last.set(new Announced(name, m.group(1), m.group(2), m.group(3))));
        assertThat(last.get().address()).startsWith(prefix);
        return last.get();
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes {@code text} and reads back as many bytes: the echo handler answers each chunk it reads. */
    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    /** Rewrites a jar's {@code sockethost-plugin.json} in place. */
    private static void rewriteDescriptor(Path jar, java.util.function.UnaryOperator<String> edit) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path descriptor = zip.getPath("/sockethost-plugin.json");
            Files.writeString(descriptor, edit.apply(Files.readString(descriptor)));
        }
    }

    /**
     * Round trips on echo-tcp on a thread of its own, each on a new connection, until {@link #finish()}: any
     * failure is kept and rethrown there.
     */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Load(Announced echo) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        String text = "load " + done.get() + "\n";
                        if (!tcp(echo, text).equals(text)) {
                            throw new AssertionError("echo-tcp answered something else to " + text);
                        }
                        done.incrementAndGet();
                    } catch (IOException | RuntimeException | AssertionError e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            }, "echo-load");
            thread.start();
        }

        /** @return the round trips done */
        int finish() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (failure.get() != null) {
                throw new AssertionError("echo-tcp failed under load after " + done.get() + " round trips", failure.get());
            }
            return done.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
