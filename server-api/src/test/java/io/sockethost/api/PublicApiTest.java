package io.sockethost.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The public API of this module is a promise to plugin authors: it may change only together with its
 * committed description, {@code api/server-api.txt}, so that every change is visible in review. Run
 * {@code mvn -pl server-api test -Dapi.update=true} to rewrite the description after an intended change.
 */
class PublicApiTest {
    static final Path DESCRIPTION = Path.of(System.getProperty("api.description", "api/server-api.txt"));
    static final Path CLASSES = Path.of(System.getProperty("api.classes", "target/classes"));

    @Test
    void theCompiledApiMatchesItsCommittedDescription() throws Exception {
        List<String> actual = ApiDescription.of(CLASSES, getClass().getClassLoader());
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(DESCRIPTION.getParent());
            Files.write(DESCRIPTION, actual);
        }
        List<String> committed = Files.exists(DESCRIPTION) ? Files.readAllLines(DESCRIPTION) : List.of();
        String report = ApiDescription.compare(committed, actual);
        assertThat(report).as("server-api changed without %s", DESCRIPTION).isEmpty();
    }

    @Test
    void aRemovedMethodIsNamedInTheReport() throws IOException {
        List<String> actual = ApiDescription.of(CLASSES, getClass().getClassLoader());
        List<String> changed = new ArrayList<>(actual);
        String settings = actual.stream().filter(l -> l.contains(" settings(")).findFirst().orElseThrow();
        changed.remove(settings);
        String report = ApiDescription.compare(actual, changed);
        assertThat(report).contains("removed: " + settings.trim()).contains("-Dapi.update=true").contains("major version");
    }

    @Test
    void everyPublicTypeAndMemberIsDescribed() throws IOException {
        List<String> actual = ApiDescription.of(CLASSES, getClass().getClassLoader());
        assertThat(actual).contains("public interface io.sockethost.api.StreamHandler extends org.pf4j.ExtensionPoint",
                "  public abstract void handle(io.sockethost.api.StreamRequest) throws java.lang.Exception",
                "  public static final io.sockethost.api.Transport UNIX_DATAGRAM");
    }
}
