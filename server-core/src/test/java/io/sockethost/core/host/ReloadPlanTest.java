package io.sockethost.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.core.config.PluginServers;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver;
import io.sockethost.core.config.StrictJson;

/** What a reload does to each server: keep, restart (address first or last), start, stop. */
@Timeout(10)
class ReloadPlanTest {
    private static final Path HOME = Path.of("/opt/sockethost");

    private static List<ServerConfig> servers(String json) throws Exception {
        return new ServerConfigResolver(HOME, Set.of("echo"), ServerConfigResolver.PluginCheck.NONE)
                .resolve(List.of(new PluginServers("echo", "plugins/echo.jar!/sockethost-plugin.json",
                        StrictJson.MAPPER.readTree(json))), List.of());
    }

    private static String server(String name, String address, String extra) {
        return "{\"name\": \"" + name + "\", \"handler\": \"x.Echo\", \"address\": \"" + address + "\"" + extra + "}";
    }

    @Test
    void keepsWhatIsTheSameAndSortsTheRest() throws Exception {
        List<ServerConfig> before = servers("[" + String.join(",", server("same", "127.0.0.1:8000", ""),
                server("tuned", "127.0.0.1:8001", ""), server("moved", "127.0.0.1:8002", ""),
                server("gone", "127.0.0.1:8003", ""), server("shared", "127.0.0.1:8004", ", \"reusePort\": true"),
                server("verified", "127.0.0.1:8005", ", \"verify\": {\"allow\": [\"10.0.0.0/8\"]}, \"settings\": {\"a\": [1]}")) + "]");
        List<ServerConfig> after = servers("[" + String.join(",", server("same", "127.0.0.1:8000", ""),
                server("tuned", "127.0.0.1:8001", ", \"readTimeout\": 5"), server("moved", "127.0.0.1:9002", ""),
                server("shared", "127.0.0.1:8004", ", \"reusePort\": true, \"readTimeout\": 5"),
                server("verified", "127.0.0.1:8005", ", \"verify\": {\"allow\": [\"10.0.0.0/8\"]}, \"settings\": {\"a\": [1]}"),
                server("new", "127.0.0.1:8003", ""), server("off", "127.0.0.1:8006", ", \"enabled\": false")) + "]");

        ReloadPlan plan = ReloadPlan.of(before, after, name -> true, HOME);

        // "verified" is resolved anew, so its rules are other objects (a Cidr holds an array): equal all the same
        assertThat(plan.kept()).containsExactly("same", "verified");
        assertThat(plan.changed()).extracting(ServerConfig::name).containsExactly("tuned", "moved", "shared");
        assertThat(plan.removed()).containsExactly("gone");
        assertThat(plan.added()).extracting(ServerConfig::name).containsExactly("new");
        // a moved server and one that may share its port bind before the old one lets go
        assertThat(plan.startFirst()).extracting(ServerConfig::name).containsExactly("moved", "shared");
        // the same address without reusePort: the old one must release it first; "new" takes gone's address
        assertThat(plan.toStop()).containsExactly("tuned", "gone");
        assertThat(plan.startAfterStop()).extracting(ServerConfig::name).containsExactly("tuned", "new");
    }

    @Test
    void aReplacedJarRestartsEvenAnUnchangedConfiguration() throws Exception {
        List<ServerConfig> configs = servers("[" + server("same", "127.0.0.1:8000", "") + "]");
        ReloadPlan plan = ReloadPlan.of(configs, configs, name -> false, HOME);
        assertThat(plan.kept()).isEmpty();
        assertThat(plan.changed()).extracting(ServerConfig::name).containsExactly("same");
    }
}
