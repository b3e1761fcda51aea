package io.sockethost.core.config;

/**
 * One thing wrong with the configuration, located precisely enough for an operator to fix it.
 *
 * @param file the file that holds the faulty value (a conf file, or {@code plugins/x.jar!/sockethost-plugin.json})
 * @param path the JSON path of the faulty field, e.g. {@code servers.echo-tcp.concurrency.mode}
 * @param message what is wrong and what is allowed
 */
public record ConfigProblem(String file, String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? file + ": " + message : file + ": " + path + ": " + message;
    }
}
