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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.core.config.StrictJson;
import io.sockethost.distribution.DistributionIT.Announced;
import io.sockethost.distribution.HostProcess.Finished;

/**
 * A plugin author's first hour, from the unpacked distribution alone: {@code sdk/starter}, whose pom names
 * little more than its parent {@code sockethost-plugin-parent}, builds and tests in a child Maven, copied
 * elsewhere with the one command {@code mvn -B -ntp verify -Dsockethost.home=<installation>}, and in place in
 * the installation with no {@code sockethost.home} at all. Each child Maven gets a user home of its own, whose
 * {@code .m2/settings.xml} is the user's settings that the starter's {@code .mvn/} must leave in force: its
 * mirror serves every repository but the SDK's from this machine's repository (so the build needs no network,
 * and the stale {@code io.sockethost} artifacts a machine may hold cannot stand in for the SDK's), and its local
 * repository starts empty. The jar the copy makes passes {@code check} and is served by {@code bin/sockethost}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs bin/sockethost and bin/mvn, the POSIX scripts")
class SdkIT extends InstalledDistribution {
    static final Duration BUILD = Duration.ofSeconds(240);
    static final String SDK = "sdk/repository/io/sockethost/";

    @Test
    void theStarterCopiedAnywhereBuildsWithTheOneCommandAndItsJarIsServed() throws Exception {
        Path home = install.home();
        assertThat(home.resolve(SDK + "server-api/maven-metadata.xml")).isRegularFile();
        for (String artifact : List.of("server-api", "server-testkit")) {
            Path version = home.resolve(SDK + artifact + "/1.0.0-SNAPSHOT");
            for (String suffix : List.of(".jar", ".pom", "-sources.jar", "-javadoc.jar")) {
                assertThat(version.resolve(artifact + "-1.0.0-SNAPSHOT" + suffix)).isRegularFile();
                assertThat(version.resolve(artifact + "-1.0.0-SNAPSHOT" + suffix + ".sha1")).isRegularFile();
            }
        }
        for (String pom : List.of("sockethost-bom", "sockethost-plugin-parent")) {
            assertThat(home.resolve(SDK + pom + "/1.0.0-SNAPSHOT/" + pom + "-1.0.0-SNAPSHOT.pom")).isRegularFile();
        }
        assertThat(Files.readAllLines(home.resolve("sdk/starter/pom.xml"))).as("the starter's pom is short").hasSizeLessThanOrEqualTo(30);

        Path starter = copy(home.resolve("sdk/starter"), temp.resolve("my plugin"));
        Path userHome = temp.resolve("author");
        Finished build = maven(starter, userHome, "-B", "-ntp", "verify", "-Dsockethost.home=" + home);
        assertBuiltAgainstTheSdkWithTheUsersSettings(build, userHome);

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

    @Test
    void theStarterInTheInstallationFindsTheSdkWithoutBeingToldAndMakesAPluginZip() throws Exception {
        Path starter = install.home().resolve("sdk/starter");
        Path userHome = temp.resolve("author");
        Finished build = maven(starter, userHome, "-B", "-ntp", "verify", "-Pzip");
        assertBuiltAgainstTheSdkWithTheUsersSettings(build, userHome);

        // -Pzip: the same plugin as a zip in PF4J's layout (it has no library of its own, so lib/ stays empty)
        try (ZipFile zip = new ZipFile(starter.resolve("target/hello-plugin-1.0.0-plugin.zip").toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).contains("sockethost-plugin.json",
                    "classes/META-INF/extensions.idx", "classes/com/example/hello/HelloHandler.class")
                    .noneMatch(name -> name.startsWith("lib/") && name.endsWith(".jar"));
        }
    }

    /**
     * The build passed its tests; what it built with came from the SDK (its parent, the API), everything else
     * through the user's mirror, into the user's local repository.
     */
    private void assertBuiltAgainstTheSdkWithTheUsersSettings(Finished build, Path userHome) throws IOException {
        assertThat(build.status()).as(build.out() + build.err()).isZero();
        assertThat(build.out()).contains("Tests run: 2, Failures: 0, Errors: 0");
        Path local = userHome.resolve(".m2/repository");
        assertThat(local.resolve("io/sockethost/server-api/1.0.0-SNAPSHOT/server-api-1.0.0-SNAPSHOT.jar"))
                .hasSameBinaryContentAs(install.home().resolve(SDK + "server-api/1.0.0-SNAPSHOT/server-api-1.0.0-SNAPSHOT.jar"));
        assertThat(local.resolve("io/sockethost/sockethost-plugin-parent/1.0.0-SNAPSHOT/_remote.repositories"))
                .content().contains("sockethost-plugin-parent-1.0.0-SNAPSHOT.pom>sockethost-sdk=");
        try (Stream<Path> junit = Files.list(local.resolve("org/junit/jupiter/junit-jupiter-api"))) {
            Path version = junit.filter(Files::isDirectory).findFirst().orElseThrow();
            assertThat(version.resolve("_remote.repositories")).content().contains(".jar>this-machine=");
        }
    }

    /**
     * Runs this build's Maven in {@code project} to its end, as a user whose home is {@code userHome}: its
     * {@code .m2/settings.xml} mirrors every repository but the SDK's to this machine's repository.
     */
    private Finished maven(Path project, Path userHome, String... args) throws IOException, InterruptedException {
        Path mirror = temp.resolve("mirror");
        userSettings(Path.of(System.getProperty("maven.local.repository")), mirror, userHome);
        Path mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        Map<String, String> env = new java.util.HashMap<>(environment);
        // user.home, not -s: the settings file Maven finds by itself, as an author's would be
        env.put("MAVEN_OPTS", "-Xmx512m -Duser.home=" + userHome);
        env.put("MAVEN_ARGS", null);
        try (HostProcess process = HostProcess.start(mvn, project, env, args)) {
            return process.finish(BUILD);
        } finally {
            removeLinks(mirror); // before JUnit deletes the temporary folder, which warns about each link
        }
    }

    /**
     * Writes {@code userHome/.m2/settings.xml}, whose mirror serves every repository but the SDK's from
     * {@code localRepository}, seen through {@code mirror}: symbolic links to each of its folders except
     * {@code io/sockethost}, so that the stale {@code io.sockethost} artifacts a machine may hold cannot stand
     * in for the SDK's.
     */
    private static void userSettings(Path localRepository, Path mirror, Path userHome) throws IOException {
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
        Files.writeString(Files.createDirectories(userHome.resolve(".m2")).resolve("settings.xml"), """
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
