package io.sockethost.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The README's descriptor reference, {@code sockethost config} and the defaults are one model: every field
 * the effective JSON form has is in the README's table and no other, and each default the table writes in
 * backticks is the one a server gets when it leaves the field out.
 */
@Timeout(30)
class DescriptorReferenceTest {
    private static final Path README = Path.of(System.getProperty("readme", "../README.md"));
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z.]+)` \\| ([^|]+) \\|");
    private static final Path HOME = Path.of("/opt/sockethost");
    /** The tls block in its two forms, whose fields exclude each other. */
    private static final String TLS_PEM = ", \"tls\": {\"certificate\": \"c.pem\", \"privateKey\": \"k.pem\"}";
    private static final String TLS_KEY_STORE = ", \"tls\": {\"keyStore\": \"s.p12\", \"keyStorePasswordEnv\": \"P\"}";
    private static final String TLS_PASSWORD_FILE = ", \"tls\": {\"keyStore\": \"s.p12\", \"keyStorePasswordFile\": \"p\"}";

    /** The README's server field table: field path to its default column. */
    private static Map<String, String> readmeTable() throws Exception {
        String text = Files.readString(README);
        int start = text.indexOf("Server fields");
        assertThat(start).as("README has the server field table").isPositive();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : text.substring(start).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.put(m.group(1), m.group(2).trim());
            } else if (!rows.isEmpty() && !line.startsWith("|")) {
                break;
            }
        }
        return rows;
    }

    private static JsonNode effective(String extra) throws Exception {
        String server = "{\"name\": \"s\", \"handler\": \"x.Handler\", \"address\": \"127.0.0.1:8000\"" + extra + "}";
        ServerConfig config = new ServerConfigResolver(HOME, Set.of("p"), ServerConfigResolver.PluginCheck.NONE)
                .resolve(java.util.List.of(new PluginServers("p", "test", StrictJson.MAPPER.readTree("[" + server + "]"))),
                        java.util.List.of())
                .get(0);
        return ServerConfigJson.write(config, HOME);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject() && !prefix.equals("settings")) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(StrictJson.join(prefix, field.getKey()), field.getValue(), out);
            }
        } else {
            out.put(prefix, node);
        }
    }

    @Test
    void theTableListsExactlyTheFieldsOfTheEffectiveConfiguration() throws Exception {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        flatten("", effective(", \"hooks\": \"x.Hooks\", \"lifecycle\": \"x.Lifecycle\"" + TLS_PEM), fields);
        flatten("", effective(TLS_KEY_STORE), fields);
        flatten("", effective(TLS_PASSWORD_FILE), fields);
        flatten("", effective(", \"hooks\": \"x.Hooks\", \"lifecycle\": \"x.Lifecycle\", \"proxyProtocol\": {\"trusted\": "
                + "[\"127.0.0.1\"]}"), fields);
        Set<String> expected = new TreeSet<>(fields.keySet());
        expected.add("name");
        assertThat(new TreeSet<>(readmeTable().keySet())).isEqualTo(expected);
    }

    @Test
    void everyDefaultTheTableWritesIsTheDefaultAServerGets() throws Exception {
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        flatten("", effective(""), defaults);
        Map<String, JsonNode> withTls = new LinkedHashMap<>();
        flatten("", effective(TLS_PEM), withTls);
        defaults.put("tls.handshakeTimeout", withTls.get("tls.handshakeTimeout")); // a default within a tls block
        // the proxyProtocol block is off unless given: given without its optional fields, they show their defaults
        flatten("", effective(", \"proxyProtocol\": {\"trusted\": [\"127.0.0.1\"]}"), defaults);
        int compared = 0;
        for (Map.Entry<String, String> row : readmeTable().entrySet()) {
            String written = row.getValue();
            JsonNode actual = defaults.get(row.getKey());
            if (written.equals("none")) {
                assertThat(actual == null || actual.asDouble() == 0).as(row.getKey() + " has no default value").isTrue();
                compared++;
            } else if (written.matches("`[^`]*`")) {
                String literal = written.substring(1, written.length() - 1);
                JsonNode expected = literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?|true|false|\\[]|\\{}")
                        ? StrictJson.MAPPER.readTree(literal) : StrictJson.MAPPER.getNodeFactory().textNode(literal);
                assertThat(actual).as(row.getKey()).isNotNull();
                assertThat(actual.isNumber() ? (JsonNode) StrictJson.MAPPER.getNodeFactory().numberNode(actual.asDouble()) : actual)
                        .as(row.getKey())
                        .isEqualTo(expected.isNumber() ? StrictJson.MAPPER.getNodeFactory().numberNode(expected.asDouble()) : expected);
                compared++;
            }
        }
        assertThat(compared).as("defaults compared").isGreaterThan(20);
    }
}
