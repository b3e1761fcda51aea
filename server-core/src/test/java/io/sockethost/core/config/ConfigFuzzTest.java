package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.sockethost.core.plugin.PluginDescriptorDocument;

/**
 * Fuzzes what reads a plugin's descriptor and an operator's override file: {@link StrictJson} parsing and
 * binding, {@link OverrideFile#parse}, {@link HostSettings#from}, the merge patch ({@link StrictJson#mergePatch})
 * and {@link ServerConfigResolver}, which validates the merged servers.
 *
 * <p>Input: the descriptor's bytes up to the first NUL, then the override file's bytes (a NUL never belongs
 * in JSON text). A descriptor that is a JSON array is taken as its {@code servers} array, so the fuzzer
 * reaches the resolver without the rest of a descriptor; a part that is not JSON is fuzzed as absent.
 *
 * <p>Expected: {@link JsonProcessingException} for bytes that are not JSON (or break Jackson's limits),
 * {@link CharConversionException} for bytes Jackson detects as UTF-16 or UTF-32 but cannot decode (the real
 * readers report both, as a malformed file and as an unreadable one), and {@link ConfigException} for JSON
 * that is not a valid configuration. A finding is any other exception or
 * error, a hang or running out of memory; or a merge patch that changes its inputs or is not idempotent
 * (RFC 7386: applying a patch twice gives what applying it once does).
 *
 * <p>Inputs whose text would make the resolver look a host name up (an address such as {@code name:80}) are
 * skipped: such names are allowed and resolved on purpose, and a fuzzer must not send DNS queries.
 */
class ConfigFuzzTest {
    private static final String DESCRIPTOR = "plugins/fuzz.jar!/sockethost-plugin.json";
    private static final String CONF = "conf/sockethost.json";

    @FuzzTest
    @Timeout(10)
    @DictionaryEntries({"\"servers\"", "\"host\"", "\"shutdownTimeout\"", "\"name\"", "\"handler\"",
        "\"transport\"", "\"tcp\"", "\"udp\"", "\"unix-stream\"", "\"unix-datagram\"", "\"address\"",
        "\"127.0.0.1:0\"", "\"[::1]:0\"", "\"enabled\"", "\"concurrency\"", "\"mode\"", "\"forking\"", "\"sync\"",
        "\"maxWorkers\"", "\"jvmOptions\"", "\"verify\"", "\"allow\"", "\"deny\"", "\"10.0.0.0/8\"",
        "\"maxConnectionsPerClient\"", "\"settings\"", "\"timeout\"", "\"readTimeout\"", "\"pollInterval\"",
        "\"socketMode\"", "\"from\"", "\"plugin\"", "\"fuzz\"", "\"hooks\"", "null", "1e308", "-0.0"})
    void readAndResolve(byte[] input) {
        int nul = indexOfNul(input);
        JsonNode descriptor = parseOrMissing(Arrays.copyOfRange(input, 0, nul));
        JsonNode override = parseOrMissing(nul < input.length ? Arrays.copyOfRange(input, nul + 1, input.length) : new byte[0]);
        if (mayLookUpAHost(descriptor) || mayLookUpAHost(override)) {
            return;
        }
        checkMergePatch(descriptor, override);

        JsonNode servers = descriptor;
        if (!descriptor.isArray()) {
            servers = MissingNode.getInstance();
            try {
                PluginDescriptorDocument doc = StrictJson.bind(descriptor, PluginDescriptorDocument.class, DESCRIPTOR, "");
                // null for an empty document or a bare null, which JsonPluginDescriptorFinder refuses (its first
                // finding; JsonPluginDescriptorFinderTest)
                if (doc != null) {
                    servers = doc.servers();
                }
            } catch (ConfigException e) {
                // refused with the problem located: expected
            }
        }
        List<OverrideFile> overrides;
        try {
            overrides = List.of(OverrideFile.parse(CONF, override));
            HostSettings.from(overrides);
        } catch (ConfigException e) {
            overrides = List.of();
        }
        try {
            List<ServerConfig> resolved = new ServerConfigResolver(Path.of("/opt/sockethost"), Set.of("fuzz"),
                    ServerConfigResolver.PluginCheck.NONE).resolve(List.of(new PluginServers("fuzz", DESCRIPTOR, servers)), overrides);
            for (ServerConfig server : resolved) {
                assertThat(server.name()).matches(ServerConfigResolver.NAME);
                assertThat(server.address()).isNotNull();
                assertThat(server.handlerClass()).isNotBlank();
            }
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
        }
    }

    private static void checkMergePatch(JsonNode target, JsonNode patch) {
        JsonNode targetBefore = target.deepCopy();
        JsonNode patchBefore = patch.deepCopy();
        JsonNode once = StrictJson.mergePatch(target, patch);
        assertThat(target).as("target after the patch").isEqualTo(targetBefore);
        assertThat(patch).as("patch after it was applied").isEqualTo(patchBefore);
        assertThat(StrictJson.mergePatch(once, patch)).as("the patch applied twice").isEqualTo(once);
    }

    /** Reads as the host does: strictly, every duplicate key a located problem. */
    private static JsonNode parseOrMissing(byte[] json) {
        try {
            JsonNode node = StrictJson.readTree(new String(json, java.nio.charset.StandardCharsets.UTF_8), CONF);
            return node == null ? MissingNode.getInstance() : node;
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.file()).isEqualTo(CONF));
            return MissingNode.getInstance();
        }
    }

    private static int indexOfNul(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == 0) {
                return i;
            }
        }
        return input.length;
    }

    /** Whether some string in the document, taken as an address, names a host that only DNS could resolve. */
    private static boolean mayLookUpAHost(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            String host = null;
            if (text.startsWith("[")) {
                int close = text.indexOf("]:");
                host = close < 0 ? null : text.substring(1, close);
            } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
            }
            // An IPv6 literal (it has a colon), an IPv4 one, or localhost from the hosts file: no query.
            return host != null && !host.isEmpty() && !host.contains(":") && !host.equals("localhost")
                    && !host.matches("[0-9.]+");
        }
        for (JsonNode child : node) {
            if (mayLookUpAHost(child)) {
                return true;
            }
        }
        return false;
    }
}
