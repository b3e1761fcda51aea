package io.sockethost.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under {@code LANG=C} (common in systemd units and small containers) the JVM names files in ASCII, and a v2
 * header's UNIX path with other bytes cannot become an address: that must be a bad header, not an unchecked
 * exception on the accept loop, which would end the server's loop. Runs the parser in a child JVM, since the
 * file-name encoding is fixed when a JVM starts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyHeaderUnderCLocaleTest {
    /** The child: parses a v2 UNIX header whose source path has a non-ASCII byte; prints what happened. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            byte[] body = new byte[216];
            byte[] src = "/run/\u00e9.sock".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(src, 0, body, 0, src.length);
            byte[] wire = ProxyHeaderParserTest.v2(0x21, 0x31, body);
            System.out.println("encoding " + System.getProperty("sun.jnu.encoding"));
            try {
                System.out.println("parsed " + ProxyHeaderParser.parse(wire, wire.length));
            } catch (ProxyHeaderException e) {
                System.out.println("refused " + e.getMessage());
            }
        }
    }

    @Test
    void aUnixPathTheJvmCannotNameIsABadHeader() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName())).redirectErrorStream(true);
        builder.environment().put("LANG", "C");
        builder.environment().put("LC_ALL", "C");
        Process child = builder.start();
        String output;
        try {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assumeTrue(!output.contains("encoding UTF-8"), "this JVM names files in UTF-8 even under LANG=C: " + output);
        assertThat(output).contains("refused the v2 header's UNIX address is not a path this host can name")
                .doesNotContain("Exception");
    }
}
