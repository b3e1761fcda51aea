package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidatorsTest {
    private static final long MODIFIED = 1_700_000_000L;
    private final Validators validators = new Validators("\"a-1\"", MODIFIED);

    private static RequestHead.Conditions conditions(String ims, String inm, String range, String ifRange) {
        return new RequestHead.Conditions(ims, inm, range, ifRange);
    }

    @Test
    void ifNoneMatchComparesWeaklyAndWinsOverIfModifiedSince() {
        assertThat(validators.notModified(conditions(null, "\"a-1\"", null, null))).isTrue();
        assertThat(validators.notModified(conditions(null, "W/\"a-1\"", null, null))).isTrue();
        assertThat(validators.notModified(conditions(null, "\"x\", W/\"y\" ,\"a-1\"", null, null))).isTrue();
        assertThat(validators.notModified(conditions(null, "*", null, null))).isTrue();
        assertThat(validators.notModified(conditions(null, "\"a-12\"", null, null))).isFalse();
        assertThat(validators.notModified(conditions(null, "\"a-1", null, null))).isFalse();
        assertThat(validators.notModified(conditions(null, "a-1", null, null))).isFalse();
        String later = HttpDates.format(MODIFIED + 10);
        assertThat(validators.notModified(conditions(later, "\"other\"", null, null))).isFalse();
    }

    @Test
    void ifModifiedSinceComparesToTheSecond() {
        assertThat(validators.notModified(conditions(HttpDates.format(MODIFIED), null, null, null))).isTrue();
        assertThat(validators.notModified(conditions(HttpDates.format(MODIFIED + 1), null, null, null))).isTrue();
        assertThat(validators.notModified(conditions(HttpDates.format(MODIFIED - 1), null, null, null))).isFalse();
        assertThat(validators.notModified(conditions("yesterday", null, null, null))).isFalse();
        assertThat(validators.notModified(conditions("", null, null, null))).isFalse();
    }

    @Test
    void ifRangeNeedsAStrongMatchOrTheExactDate() {
        assertThat(validators.rangeApplies(conditions(null, null, "bytes=0-1", null))).isTrue();
        assertThat(validators.rangeApplies(conditions(null, null, "bytes=0-1", "\"a-1\""))).isTrue();
        assertThat(validators.rangeApplies(conditions(null, null, "bytes=0-1", "W/\"a-1\""))).isFalse();
        assertThat(validators.rangeApplies(conditions(null, null, "bytes=0-1", "\"b\""))).isFalse();
        assertThat(validators.rangeApplies(conditions(null, null, "bytes=0-1", HttpDates.format(MODIFIED)))).isTrue();
        assertThat(validators.rangeApplies(conditions(null, null, "bytes=0-1", HttpDates.format(MODIFIED + 1)))).isFalse();
    }
}
