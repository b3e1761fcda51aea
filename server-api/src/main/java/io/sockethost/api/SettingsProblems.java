package io.sockethost.api;

/**
 * Where {@link ServerLifecycle#validate} reports what is wrong with a server's settings. The host adds the
 * file and the JSON path of the server's {@code settings} to each report. Not thread-safe: use it only
 * during the {@code validate} call that received it.
 *
 * @since 1.1
 */
public interface SettingsProblems {

    /**
     * Reports a problem that stops the host from starting (and makes {@code check} fail).
     *
     * @param field the field's path inside {@code settings}, e.g. {@code root} or {@code limits.max}
     * @param message what is wrong and what is allowed
     */
    void error(String field, String message);

    /**
     * Reports something an operator should know that does not stop the host, e.g. a file that does not
     * exist yet but may be created later.
     *
     * @param field the field's path inside {@code settings}
     * @param message what was found
     */
    void warning(String field, String message);
}
