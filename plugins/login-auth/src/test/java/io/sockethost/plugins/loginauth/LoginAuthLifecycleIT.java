package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.core.config.ConfigException;
import io.sockethost.core.config.ConfigProblem;
import io.sockethost.testkit.PluginHost;

/** login-auth's settings are checked with the configuration, before the host binds anything. */
@Timeout(60)
class LoginAuthLifecycleIT {
    private static final Path JAR = Path.of(System.getProperty("plugin.jar"));

    @Test
    void settingsOfTheWrongTypeOrAUsersFileInAFolderThatDoesNotExistStopTheHost() {
        assertThatThrownBy(() -> PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"login-auth\": {\"settings\": {\"maxFailures\": \"lots\"}}}}").start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("servers.login-auth.settings.maxFailures");
        assertThatThrownBy(() -> PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"login-auth\": {\"settings\": {\"usersFile\": \"no/such/folder/users\"}}}}").start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("servers.login-auth.settings.usersFile: folder ")
                .hasMessageContaining("no/such/folder does not exist");
    }

    @Test
    void aUsersFileThatDoesNotExistYetIsAWarningAndTheServerStarts() throws Exception {
        try (PluginHost host = PluginHost.builder().plugin(JAR)
                .override("{\"servers\": {\"login-auth\": {\"settings\": {\"usersFile\": \"conf/not-yet.users\"}}}}").start()) {
            assertThat(host.host().warnings()).extracting(ConfigProblem::path).containsExactly("servers.login-auth.settings.usersFile");
            assertThat(host.host().warnings().get(0).message()).contains("not-yet.users does not exist yet");
            assertThat(host.inetAddress("login-auth").getPort()).isPositive();
        }
    }
}
