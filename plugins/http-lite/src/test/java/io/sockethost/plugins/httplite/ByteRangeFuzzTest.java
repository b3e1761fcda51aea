package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link ByteRange#parse}, the {@code Range} field against a file size.
 *
 * <p>Input: the file size in decimal digits (at most 19, clamped to {@code Long.MAX_VALUE}; none = 0), one
 * separator byte, then the field's value as ISO-8859-1, which is how {@link HeadParser} decodes it. Without
 * the separator the field is absent ({@code null}).
 *
 * <p>Expected: nothing is thrown, since the parser answers every input with one of its three outcomes. A
 * finding is any exception or error, a hang, or a {@link ByteRange.Part} that is empty or reaches outside
 * the file. Seeds: {@code src/test/resources/.../ByteRangeFuzzTestInputs/parse/}; without {@code JAZZER_FUZZ}
 * they run as regression tests.
 */
class ByteRangeFuzzTest {

    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        int digits = 0;
        while (digits < input.length && digits < 19 && input[digits] >= '0' && input[digits] <= '9') {
            digits++;
        }
        long size = digits == 0 ? 0
                : new BigInteger(new String(input, 0, digits, StandardCharsets.US_ASCII))
                        .min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
        String field = digits < input.length
                ? new String(Arrays.copyOfRange(input, digits + 1, input.length), StandardCharsets.ISO_8859_1)
                : null;

        ByteRange range = ByteRange.parse(field, size);

        assertThat(range).isNotNull();
        if (field == null) {
            assertThat(range).isEqualTo(ByteRange.WHOLE);
        }
        if (range instanceof ByteRange.Part part) {
            assertThat(part.first()).as("first byte of %s in a file of %d", part, size).isBetween(0L, part.last());
            assertThat(part.last()).as("last byte of %s in a file of %d", part, size).isLessThan(size);
            assertThat(part.length()).isBetween(1L, size);
        }
    }
}
