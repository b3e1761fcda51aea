package io.sockethost.core.server;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.ServerLifecycle;

/**
 * Runs a plugin's {@link ServerLifecycle} for one server: {@link #start()} once the server is bound and
 * before it serves, {@link #stop()} after it has closed, at most once each and only after a successful
 * start. The state goes to the server's {@link ServerInfo}, where handlers find it. Called by the thread
 * that opens or closes the server; not thread-safe otherwise.
 */
final class PluginScope {
    private static final Logger log = LoggerFactory.getLogger(PluginScope.class);

    private final ServerInfo server;
    @SuppressWarnings("rawtypes")
    private final ServerLifecycle lifecycle;
    private boolean started;

    /** @param lifecycle the plugin's lifecycle for this server, or null for none */
    PluginScope(ServerInfo server, ServerLifecycle<?> lifecycle) {
        this.server = server;
        this.lifecycle = lifecycle;
    }

    /** @throws IOException naming the server if the plugin's {@code start} threw; the server must not serve */
    void start() throws IOException {
        if (lifecycle == null || started) {
            return;
        }
        try {
            server.started(lifecycle.start(server));
            started = true;
        } catch (Exception | LinkageError e) {
            throw new IOException("server " + server.name() + ": " + lifecycle.getClass().getName()
                    + ".start failed: " + e, e);
        }
    }

    /** @return what a client turned away because the server is full receives first, or null for nothing */
    byte[] busyReply() {
        if (lifecycle == null) {
            return null;
        }
        try {
            byte[] reply = lifecycle.busyReply(server);
            return reply == null ? null : reply.clone();
        } catch (RuntimeException | LinkageError e) {
            log.error("server {}: {}.busyReply failed; refusing without a reply", server.name(),
                    lifecycle.getClass().getName(), e);
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    void stop() {
        if (!started) {
            return;
        }
        started = false;
        try {
            lifecycle.stop(server, server.stopped());
        } catch (Exception | LinkageError e) {
            log.error("server {}: {}.stop failed", server.name(), lifecycle.getClass().getName(), e);
        }
    }
}
