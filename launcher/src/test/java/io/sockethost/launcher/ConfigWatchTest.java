package io.sockethost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which changed files make {@code watchPlugins} reload: plugins (jars and zips), JSON, the servers folder. */
@Timeout(10)
class ConfigWatchTest {

    @Test
    void pluginJarsAndZipsAndConfigurationFilesAreWatchedAndNothingElse() {
        assertThat(ConfigWatch.isWatched("greeter-0.1.0.jar")).isTrue();
        assertThat(ConfigWatch.isWatched("gson-plugin.zip")).isTrue();
        assertThat(ConfigWatch.isWatched("sockethost.json")).isTrue();
        assertThat(ConfigWatch.isWatched("servers")).isTrue();
        assertThat(ConfigWatch.isWatched("notes.txt")).isFalse();
        assertThat(ConfigWatch.isWatched("greeter-0.1.0.jar.part")).isFalse();
    }
}
