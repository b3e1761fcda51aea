package io.sockethost.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.DistributionIT.Announced;
import io.sockethost.distribution.HostProcess.Finished;

/**
 * A plugin author's first hour, from the unpacked distribution alone: {@code sdk/starter} copied elsewhere
 * builds and tests with {@code mvn verify -Dsockethost.home=<installation>} in a child Maven whose local
 * repository starts empty and can reach no {@code io.sockethost} artifact but the distribution's
 * {@code sdk/repository} (third-party artifacts come from this machine's repository, through a mirror that
 * leaves {@code io/sockethost} out, so the build needs no network); the jar it makes passes {@code check}
 * and is served by {@code bin/sockethost}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost and bin/mvn, the POSIX scripts")
class SdkIT extends InstalledDistribution {
    static final Duration BUILD = Duration.ofSeconds(240);

    @Test
    void theStarterCopiedAnywhereBuildsAgainstTheSdkAloneAndItsJarIsServed() throws Exception {
        Path home = install.home();
        assertThat(home.resolve("sdk/repository/io/sockethost/server-api/maven-metadata.xml")).isRegularFile();
        for (String artifact : List.of("server-api", "server-testkit")) {
            Path version = home.resolve("sdk/repository/io/sockethost/" + artifact + "/1.0.0-SNAPSHOT");
            for (String suffix : List.of(".jar", ".pom", "-sources.jar", "-javadoc.jar")) {
                assertThat(version.resolve(artifact + "-1.0.0-SNAPSHOT" + suffix)).isRegularFile();
                assertThat(version.resolve(artifact + "-1.0.0-SNAPSHOT" + suffix + ".sha1")).isRegularFile();
            }
        }
        assertThat(home.resolve("sdk/repository/io/sockethost/sockethost-bom/1.0.0-SNAPSHOT/sockethost-bom-1.0.0-SNAPSHOT.pom"))
                .isRegularFile();

        Path starter = copy(home.resolve("sdk/starter"), temp.resolve("my plugin"));
        Path localRepository = Files.createDirectories(temp.resolve("empty local repository"));
        Path mirror = temp.resolve("mirror");
        Finished build;
        try {
            Path settings = offlineSettings(Path.of(System.getProperty("maven.local.repository")), mirror);
            build = maven(starter, "-B", "-ntp", "-s", settings.toString(),
                    "-Dmaven.repo.local=" + localRepository, "-Dsockethost.home=" + home, "-Pzip", "verify");
        } finally {
            removeLinks(mirror); // before JUnit deletes the temporary folder, which warns about each link
        }
        assertThat(build.status()).as(build.out() + build.err()).isZero();
        assertThat(build.out()).contains("Tests run: 2, Failures: 0, Errors: 0");
        // what the starter built with came from the SDK, not from anywhere else
        assertThat(localRepository.resolve("io/sockethost/server-api/1.0.0-SNAPSHOT/server-api-1.0.0-SNAPSHOT.jar"))
                .hasSameBinaryContentAs(home.resolve("sdk/repository/io/sockethost/server-api/1.0.0-SNAPSHOT/server-api-1.0.0-SNAPSHOT.jar"));

        // -Pzip: the same plugin as a zip in PF4J's layout (it has no library of its own, so lib/ stays empty)
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(starter.resolve("target/hello-plugin-1.0.0-plugin.zip").toFile())) {
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName)).contains("sockethost-plugin.json",
                    "classes/META-INF/extensions.idx", "classes/com/example/hello/HelloHandler.class")
                    .noneMatch(name -> name.startsWith("lib/") && name.endsWith(".jar"));
        }

        Files.copy(starter.resolve("target/hello-plugin-1.0.0.jar"), install.plugins().resolve("hello-plugin-1.0.0.jar"));
        ObjectNode hello = StrictJson.MAPPER.createObjectNode();
        hello.putObject("hello").put("address", "127.0.0.1:0");
        install.writeTestOverrides("test", 10, hello);
        Finished check = runToEnd("check");
        assertThat(check.status()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("OK: ");
        try (HostProcess host = start()) {
            Map<String, Announced> servers = DistributionIT.awaitStarted(host);
            assertThat(servers.get("hello").plugin()).isEqualTo("hello");
            assertThat(DistributionIT.tcp(servers.get("hello"), "Ada\n")).isEqualTo("Hello, Ada!\n");
            DistributionIT.stopWithSigterm(host);
        }
    }

    /** Runs this build's Maven in {@code project} to its end. */
    private Finished maven(Path project, String... args) throws IOException, InterruptedException {
        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("MAVEN_OPTS", "-Xmx512m");
        env.put("MAVEN_ARGS", null);
        try (HostProcess process = HostProcess.start(mvn, project, env, args)) {
            return process.finish(BUILD);
        }
    }

    /**
     * A settings file whose mirror serves every repository but the SDK's from {@code localRepository}, seen
     * through {@code mirror}: symbolic links to each of its folders except {@code io/sockethost}, so that the
     * stale {@code io.sockethost} artifacts a machine may hold cannot stand in for the SDK's.
     */
    private static Path offlineSettings(Path localRepository, Path mirror) throws IOException {
        Files.createDirectories(mirror);
        try (Stream<Path> groups = Files.list(localRepository)) {
            for (Path group : groups.toList()) {
                if (!group.getFileName().toString().equals("io")) {
                    Files.createSymbolicLink(mirror.resolve(group.getFileName()), group);
                }
            }
        }
        Path io = localRepository.resolve("io");
        if (Files.isDirectory(io)) {
            Path mirroredIo = Files.createDirectories(mirror.resolve("io"));
            try (Stream<Path> groups = Files.list(io)) {
                for (Path group : groups.toList()) {
                    if (!group.getFileName().toString().equals("sockethost")) {
                        Files.createSymbolicLink(mirroredIo.resolve(group.getFileName()), group);
                    }
                }
            }
        }
        return Files.writeString(mirror.resolveSibling("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>this-machine</id>
                      <mirrorOf>*,!sockethost-sdk</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(mirror.toUri()));
    }

    private static void removeLinks(Path mirror) throws IOException {
        if (!Files.isDirectory(mirror)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(mirror)) {
            for (Path link : walk.filter(Files::isSymbolicLink).toList()) {
                Files.delete(link);
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
