package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PasswordHashTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void matchesOnlyItsOwnPasswordAfterAFormatRoundTrip() {
        PasswordHash hash = PasswordHash.parse(PasswordHash.create("s3cret ü".toCharArray(), 1000, RANDOM).format());
        assertThat(hash.matches("s3cret ü".toCharArray())).isTrue();
        assertThat(hash.matches("s3cret u".toCharArray())).isFalse();
        assertThat(hash.matches(new char[0])).isFalse();
        assertThat(hash.iterations()).isEqualTo(1000);
    }

    @Test
    void eachHashHasItsOwnSaltAndShowsNoPlaintext() {
        String a = PasswordHash.create("same".toCharArray(), 1000, RANDOM).format();
        String b = PasswordHash.create("same".toCharArray(), 1000, RANDOM).format();
        assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256:1000:").doesNotContain("same");
        assertThat(PasswordHash.parse(a).toString()).isEqualTo("pbkdf2-sha256 (1000 iterations)");
    }

    @Test
    void theStandInMatchesNothing() {
        PasswordHash standIn = PasswordHash.unmatchable(1000, RANDOM);
        assertThat(standIn.matches("".toCharArray())).isFalse();
        assertThat(standIn.matches("anything".toCharArray())).isFalse();
    }

    @Test
    void parseSaysWhichPartIsWrong() {
        String good = PasswordHash.create("x".toCharArray(), 1000, RANDOM).format();
        String[] parts = good.split(":");
        assertThatThrownBy(() -> PasswordHash.parse("plain-text-password"))
                .hasMessageContaining("found 1 fields").hasMessageNotContaining("plain-text-password");
        assertThatThrownBy(() -> PasswordHash.parse("md5:1000:" + parts[2] + ":" + parts[3])).hasMessageContaining("scheme");
        assertThatThrownBy(() -> PasswordHash.parse(parts[0] + ":ten:" + parts[2] + ":" + parts[3])).hasMessageContaining("iterations");
        assertThatThrownBy(() -> PasswordHash.parse(parts[0] + ":10:" + parts[2] + ":" + parts[3])).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PasswordHash.parse(parts[0] + ":1000:!!:" + parts[3])).hasMessageContaining("salt");
        assertThatThrownBy(() -> PasswordHash.parse(parts[0] + ":1000:" + parts[2] + ":AAAA")).hasMessageContaining("hash: 3 bytes");
    }
}
