package io.sockethost.plugins.loginauth;

import java.net.SocketAddress;

import org.pf4j.Extension;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerHooks;
import io.sockethost.api.SockethostException;

/**
 * Turns away, on the server's accept loop, a connection whose every password would be refused unchecked
 * (see {@link LoginService#admitsConnection}): the host closes it before a thread is started for it and
 * counts it as a {@code verify} refusal. The client sees its connection closed (or reset, if it had already
 * sent something) without a reply.
 *
 * <p>Under {@code forking} concurrency the accepting process has no {@link LoginService} (each worker
 * process has its own counters), so every connection is let in and judged by its worker. One instance per
 * server; thread-safe, as the server's {@link LoginService} is.
 */
@Extension
public final class LoginAuthHooks implements ServerHooks {

    @Override
    public boolean verifyRequest(ServerContext server, SocketAddress client) {
        LoginService service;
        try {
            service = server.state(LoginService.class);
        } catch (SockethostException noStateInThisProcess) {
            return true;
        }
        return service.admitsConnection(client);
    }
}
