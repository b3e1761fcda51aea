package io.sockethost.core.plugin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pf4j.PluginRuntimeException;

/** Descriptors that hold no JSON object are refused with the file named, never with a NullPointerException. */
@Timeout(10)
class JsonPluginDescriptorFinderTest {
    @TempDir
    Path dir;

    /** Regression for ConfigFuzzTest's first finding: an empty descriptor (or {@code null}) bound to null. */
    @ParameterizedTest
    @ValueSource(strings = {"", "  // only a comment\n", "null"})
    void aDescriptorWithoutAnObjectIsRefusedNamingTheFile(String descriptor) throws IOException {
        Path jar = dir.resolve("empty.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(PluginDescriptorDocument.RESOURCE));
            out.write(descriptor.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertThatThrownBy(() -> new JsonPluginDescriptorFinder().find(jar))
                .isExactlyInstanceOf(PluginRuntimeException.class)
                .hasMessage(jar + "!/sockethost-plugin.json: expected a JSON object with \"id\", \"version\" and \"servers\"");
    }
}
