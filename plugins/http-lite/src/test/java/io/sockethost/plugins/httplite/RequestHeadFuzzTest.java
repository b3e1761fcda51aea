package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sockethost.testkit.TrickleInput;

/**
 * Fuzzes the request-head parser ({@link HeadParser}) through the connection's reader ({@link RequestReader}),
 * pipelined requests and their bodies included, as a client's bytes reach them.
 *
 * <p>Input: byte 0 is the read size ({@code '1'} to {@code '9'}: the client's bytes arrive that many at a
 * time; anything else: as many as the reader asks for); byte 1 picks the limits ({@code 's'}: the smallest
 * the settings allow, so the limit checks are reached; anything else: the defaults); the rest is what the
 * client sends. Heads are read, and their bodies skipped, until the input ends or a request is refused.
 *
 * <p>Expected: an {@link HttpException} with one of the statuses the reader documents, and
 * {@link EOFException} for a body cut short. A finding is any other exception or error, a hang, more heads
 * than the input has bytes, or an accepted head that breaks what {@link RequestHead} promises (a method that
 * is not a token, a target with a control, space or {@code #}, both body framings at once).
 */
class RequestHeadFuzzTest {
    private static final Set<HttpStatus> REFUSALS = EnumSet.of(HttpStatus.BAD_REQUEST, HttpStatus.REQUEST_TIMEOUT,
            HttpStatus.CONTENT_TOO_LARGE, HttpStatus.URI_TOO_LONG, HttpStatus.HEADER_FIELDS_TOO_LARGE,
            HttpStatus.NOT_IMPLEMENTED, HttpStatus.VERSION_NOT_SUPPORTED);
    private static final HttpLiteSettings DEFAULTS = limits(null, null, null, null);
    private static final HttpLiteSettings SMALLEST = limits(64, 64, 1, 0L);

    private static HttpLiteSettings limits(Integer maxRequestLine, Integer maxHeaderBytes, Integer maxHeaders, Long maxBody) {
        return new HttpLiteSettings(null, null, null, null, null, null, maxRequestLine, maxHeaderBytes, maxHeaders,
                maxBody, null, null);
    }

    @FuzzTest
    @Timeout(10)
    void readHeads(byte[] input) throws IOException {
        int readSize = input.length > 0 && input[0] >= '1' && input[0] <= '9' ? input[0] - '0' : Integer.MAX_VALUE;
        HttpLiteSettings settings = input.length > 1 && input[1] == 's' ? SMALLEST : DEFAULTS;
        byte[] sent = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
        RequestReader reader = new RequestReader(new TrickleInput(sent, readSize), () -> { }, timeout -> { }, settings);
        int heads = 0;
        try {
            for (RequestHead head = reader.readHead(0); head != null; head = reader.readHead(0)) {
                assertThat(++heads).as("heads read from %d bytes", sent.length).isLessThanOrEqualTo(sent.length);
                checkAccepted(head);
                reader.skipBody(head);
            }
        } catch (HttpException e) {
            assertThat(e.status()).as("status of \"%s\"", e.getMessage()).isIn(REFUSALS);
        } catch (EOFException e) {
            // the client closed part-way through a body: the connection ends, nothing to answer
        }
    }

    private static void checkAccepted(RequestHead head) {
        assertThat(head.method()).isNotEmpty();
        for (int i = 0; i < head.method().length(); i++) {
            assertThat(HeadParser.isTchar((byte) head.method().charAt(i))).as("method %s", head.method()).isTrue();
        }
        assertThat(head.target()).isNotEmpty().doesNotContain("#");
        assertThat(head.target().chars()).as("target %s", head.target()).allMatch(c -> c > 0x20 && c < 0x7f);
        assertThat(head.version()).isNotNull();
        assertThat(head.contentLength()).isGreaterThanOrEqualTo(-1);
        if (head.chunked()) {
            assertThat(head.contentLength()).as("Content-Length beside chunked").isEqualTo(-1);
            assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        }
        assertThat(head.conditions()).isNotNull();
    }
}
