package io.sockethost.core.assembly;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sockethost.api.DeclaresSettings;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.SettingsProblems;
import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver.PluginCheck;
import io.sockethost.core.config.StrictJson;
import io.sockethost.core.server.ServerInfo;

/**
 * Checks a server's {@code settings} before it binds: binds them to the type its lifecycle (or else its
 * handler) declares, then, for an enabled server, runs the lifecycle's {@code validate}. Stateless.
 */
public final class SettingsCheck {

    private SettingsCheck() {
    }

    /**
     * @param lifecycle the server's lifecycle, or null
     * @param handler one instance of the server's handler, or null; asked for its settings type when it
     *     declares one and the lifecycle does not
     */
    public static void check(ServerConfig config, ServerLifecycle<?> lifecycle, Object handler,
                             PluginCheck.Problems problems) {
        Class<?> type = lifecycle == null ? null : lifecycle.settingsType();
        if (type == null && handler instanceof DeclaresSettings declares) {
            type = declares.settingsType();
        }
        if (type != null && !bind(config, type, problems)) {
            return; // validate() reads the bound settings
        }
        // A disabled server never starts, so what exists on disk only matters once it is enabled; its
        // settings' types are checked all the same, since they are wrong wherever the server runs.
        if (lifecycle != null && config.enabled()) {
            validate(config, lifecycle, problems);
        }
    }

    /** @return false if the settings do not bind (the reason reported) */
    private static boolean bind(ServerConfig config, Class<?> type, PluginCheck.Problems problems) {
        try {
            StrictJson.forPluginTypes().treeToValue(config.settings(), type);
            return true;
        } catch (JsonProcessingException e) {
            problems.error(StrictJson.join("settings", StrictJson.pathOf(e)), StrictJson.describe(e));
        } catch (IllegalArgumentException e) {
            problems.error("settings", e.getMessage());
        }
        return false;
    }

    private static void validate(ServerConfig config, ServerLifecycle<?> lifecycle, PluginCheck.Problems problems) {
        try {
            lifecycle.validate(ServerInfo.of(config), new SettingsProblems() {
                @Override
                public void error(String field, String message) {
                    problems.error(StrictJson.join("settings", field), message);
                }

                @Override
                public void warning(String field, String message) {
                    problems.warning(StrictJson.join("settings", field), message);
                }
            });
        } catch (RuntimeException | LinkageError e) {
            problems.error("lifecycle", lifecycle.getClass().getName() + ".validate failed: " + e);
        }
    }
}
