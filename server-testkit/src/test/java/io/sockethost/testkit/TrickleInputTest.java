package io.sockethost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TrickleInputTest {

    @Test
    void handsOutAtMostMaxReadBytesPerReadThenEnds() {
        TrickleInput in = new TrickleInput("hello".getBytes(StandardCharsets.US_ASCII), 2);
        byte[] buffer = new byte[10];
        assertThat(in.available()).isEqualTo(2);
        assertThat(in.read(buffer, 0, 10)).isEqualTo(2);
        assertThat(in.read(buffer, 2, 1)).isEqualTo(1);
        assertThat(in.read(buffer, 3, 0)).isZero();
        assertThat(in.read(buffer, 3, 7)).isEqualTo(2);
        assertThat(new String(buffer, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(in.read(buffer, 0, 10)).isEqualTo(-1);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void copiesItsBytesAndRefusesReadsThatCannotProgress() {
        byte[] bytes = {(byte) 0xff};
        TrickleInput in = new TrickleInput(bytes, 1);
        bytes[0] = 0;
        assertThat(in.read()).isEqualTo(0xff);
        assertThatThrownBy(() -> new TrickleInput(bytes, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> in.read(new byte[1], 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
