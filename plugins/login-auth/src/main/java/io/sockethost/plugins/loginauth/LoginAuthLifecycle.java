package io.sockethost.plugins.loginauth;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.pf4j.Extension;

import io.sockethost.api.ServerContext;
import io.sockethost.api.ServerLifecycle;
import io.sockethost.api.SettingsProblems;

/**
 * A login-auth server's life: its settings are checked with the configuration (the users file's folder
 * must exist; a users file that does not exist yet is only a warning, since an operator may add users
 * after the start), and its {@link LoginService} (users, lockout counters) is made before it accepts and
 * handed to each connection's handler. One instance per server; see {@link ServerLifecycle} for the order
 * of calls.
 */
@Extension
public final class LoginAuthLifecycle implements ServerLifecycle<LoginService> {

    @Override
    public Class<?> settingsType() {
        return LoginAuthSettings.class;
    }

    @Override
    public void validate(ServerContext server, SettingsProblems problems) {
        LoginAuthSettings settings = server.settings(LoginAuthSettings.class);
        Path file;
        try {
            file = settings.usersPath(server.home()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.error("usersFile", "\"" + settings.usersFile() + "\" is not a path: " + e.getReason());
            return;
        }
        if (Files.isDirectory(file)) {
            problems.error("usersFile", file + " is a folder; give the users file inside it");
        } else if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            problems.error("usersFile", "folder " + file.getParent() + " does not exist");
        } else if (!Files.exists(file)) {
            problems.warning("usersFile", file + " does not exist yet; every login fails until it is created "
                    + "(add users with the plugin's AddUser command, see the README)");
        }
    }

    @Override
    public LoginService start(ServerContext server) {
        return new LoginService(server.name(), server.home(), server.settings(LoginAuthSettings.class), System::nanoTime,
                HashPool.shared());
    }
}
