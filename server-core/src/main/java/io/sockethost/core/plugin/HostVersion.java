package io.sockethost.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The host's version, from the build; plugins' {@code requires} is checked against it. */
public final class HostVersion {
    private static final String VERSION = read();

    private HostVersion() {
    }

    /** @return the full version, e.g. {@code 1.0.0-SNAPSHOT} */
    public static String full() {
        return VERSION;
    }

    /** @return the version without a pre-release suffix, as semver ranges in {@code requires} expect */
    public static String release() {
        int dash = VERSION.indexOf('-');
        return dash < 0 ? VERSION : VERSION.substring(0, dash);
    }

    private static String read() {
        try (InputStream in = HostVersion.class.getResourceAsStream("/io/sockethost/core/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "0.0.0");
            return v.startsWith("$") ? "0.0.0" : v;
        } catch (IOException e) {
            return "0.0.0";
        }
    }
}
