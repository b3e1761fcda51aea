package io.sockethost.plugins.uppercase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class AsciiUppercaseTest {

    @Test
    void changesAsciiLettersOnlyAndKeepsLength() {
        byte[] bytes = "hello ß z{@`aZ".getBytes(StandardCharsets.UTF_8);
        int length = bytes.length;
        AsciiUppercase.inPlace(bytes, 0, bytes.length);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("HELLO ß Z{@`AZ");
        assertThat(bytes).hasSize(length);
    }

    @Test
    void leavesEveryNonLetterByteAlone() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        AsciiUppercase.inPlace(all, 0, all.length);
        for (int i = 0; i < 256; i++) {
            int expected = i >= 'a' && i <= 'z' ? i - 32 : i;
            assertThat(all[i] & 0xff).as("byte %d", i).isEqualTo(expected);
        }
    }
}
