package io.sockethost.core.tls;

import io.sockethost.core.config.ServerConfig;
import io.sockethost.core.config.ServerConfigResolver.PluginCheck;

/**
 * The configuration check of a server's {@code tls} files: loads them as a start would, so that {@code check}
 * and a reload report a missing file, a PKCS#1 key, a key that does not fit its certificate or a wrong
 * key store password before anything binds. Disabled servers are not checked: what is on disk only matters
 * once they start. Stateless.
 */
public final class TlsCheck implements PluginCheck {

    @Override
    public void check(ServerConfig server, Problems problems) {
        if (server.tls() != null && server.enabled()) {
            ServerTls.load(server.tls(), problems);
        }
    }
}
