package io.sockethost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class PluginHostExtensionTest {

    @Test
    void expandsSystemPropertiesInJarPaths() {
        System.setProperty("testkit.example.dir", "/tmp/x");
        try {
            assertThat(PluginHostExtension.expand("${testkit.example.dir}/a.jar")).isEqualTo("/tmp/x/a.jar");
        } finally {
            System.clearProperty("testkit.example.dir");
        }
    }

    @Test
    void aMissingPropertyIsAClearError() {
        assertThatThrownBy(() -> PluginHostExtension.expand("${testkit.not.set}"))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("testkit.not.set");
    }
}
