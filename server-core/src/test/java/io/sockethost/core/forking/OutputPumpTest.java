package io.sockethost.core.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OutputPumpTest {

    private static List<String> pump(byte[] output) {
        List<String> lines = new ArrayList<>();
        new OutputPump(new ByteArrayInputStream(output), lines::add).run();
        return lines;
    }

    @Test
    void splitsLinesAndKeepsALastLineWithoutNewline() {
        assertThat(pump("one\r\ntwo\n\nthree".getBytes(StandardCharsets.UTF_8))).containsExactly("one", "two", "", "three");
    }

    @Test
    void cutsALineLongerThanItsLimitIntoPieces() {
        byte[] output = new byte[OutputPump.MAX_LINE * 2 + 10];
        java.util.Arrays.fill(output, (byte) 'x');
        assertThat(pump(output)).extracting(String::length)
                .containsExactly(OutputPump.MAX_LINE, OutputPump.MAX_LINE, 10);
    }

    @Test
    void decodesUtf8() {
        assertThat(pump("grüße\n".getBytes(StandardCharsets.UTF_8))).containsExactly("grüße");
    }
}
