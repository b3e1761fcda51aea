package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void singleRangesWithinTheFile() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange.Part(0, 99));
        assertThat(ByteRange.parse("Bytes=10-", 1000)).isEqualTo(new ByteRange.Part(10, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange.Part(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange.Part(0, 999));
        assertThat(ByteRange.parse("bytes=990-5000", 1000)).isEqualTo(new ByteRange.Part(990, 999));
        assertThat(ByteRange.parse("bytes=5-5", 1000)).isEqualTo(new ByteRange.Part(5, 5));
        assertThat(((ByteRange.Part) ByteRange.parse("bytes=5-5", 1000)).length()).isEqualTo(1);
        assertThat(ByteRange.parse("bytes=0-99999999999999999999999", 10)).isEqualTo(new ByteRange.Part(0, 9));
    }

    @Test
    void rangesBeyondTheFileAreUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=99999999999999999999-", 1000)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 1000)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-1", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
    }

    @Test
    void absentMalformedForeignOrMultipleRangesMeanTheWholeFile() {
        for (String field : new String[] {null, "", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "bytes=1-2-3",
            "items=0-1", "bytes=0-1,5-6", "bytes 0-1", "bytes=+1-2"}) {
            assertThat(ByteRange.parse(field, 1000)).as(field).isEqualTo(ByteRange.WHOLE);
        }
    }
}
