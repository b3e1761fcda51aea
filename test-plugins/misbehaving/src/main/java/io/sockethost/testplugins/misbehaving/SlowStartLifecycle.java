package io.sockethost.testplugins.misbehaving;

import org.pf4j.Extension;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerLifecycle;

/**
 * A lifecycle whose start takes {@code settings.startMillis} (default 0): a server that keeps the host
 * starting for a while, for tests that stop the host meanwhile. Keeps no state.
 */
@Extension
public final class SlowStartLifecycle implements ServerLifecycle<Void> {

    /** @param startMillis how long {@link #start} takes */
    public record Settings(long startMillis) {
    }

    @Override
    public Class<?> settingsType() {
        return Settings.class;
    }

    @Override
    public Void start(ServerContext server) throws InterruptedException {
        Thread.sleep(server.settings(Settings.class).startMillis());
        return null;
    }
}
