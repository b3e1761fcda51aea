package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoginAuthSettingsTest {

    @Test
    void missingFieldsTakeTheDocumentedDefaults() {
        LoginAuthSettings s = new LoginAuthSettings(null, null, null, null, null, null, null, null, null);
        assertThat(s.usersFile()).isEqualTo("conf/login-auth.users");
        assertThat(s.hideUnknownUsers()).isFalse();
        assertThat(s.maxFailures()).isEqualTo(5);
        assertThat(s.lockout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxLockout()).isEqualTo(Duration.ofSeconds(900));
        assertThat(s.maxMessageBytes()).isEqualTo(1024);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.goodbyePause()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.hashPoolSize()).isZero();
        assertThat(s.hashPool()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aLongLockoutRaisesTheDefaultMaximum() {
        assertThat(new LoginAuthSettings(null, null, null, 3600.0, null, null, null, null, null).maxLockout())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void outOfRangeValuesNameTheirField() {
        assertThatThrownBy(() -> new LoginAuthSettings(" ", null, null, null, null, null, null, null, null)).hasMessageStartingWith("usersFile:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, 0, null, null, null, null, null, null)).hasMessageStartingWith("maxFailures:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, 0.0, null, null, null, null, null)).hasMessageStartingWith("lockoutSeconds:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, 60.0, 30.0, null, null, null, null))
                .hasMessageStartingWith("maxLockoutSeconds:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, null, null, 10, null, null, null)).hasMessageStartingWith("maxMessageBytes:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, null, null, null, -1.0, null, null))
                .hasMessageStartingWith("idleTimeoutSeconds:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, null, null, null, null, Double.NaN, null))
                .hasMessageStartingWith("goodbyePauseSeconds:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, null, null, null, null, null, -1))
                .hasMessageStartingWith("hashPoolSize:");
        assertThatThrownBy(() -> new LoginAuthSettings(null, null, null, null, null, null, null, null, 1025))
                .hasMessageStartingWith("hashPoolSize:");
    }
}
