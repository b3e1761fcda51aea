package io.sockethost.api;

/**
 * Declares the type a server's free-form {@code settings} bind to, so that the host binds and checks them
 * when it checks the configuration ({@code sockethost check}, and before any server binds), not at the
 * first request. Implemented by a {@link ServerLifecycle}, or by a {@link StreamHandler} or
 * {@link DatagramHandler} class (the host then makes one instance of the handler to ask it).
 *
 * <p>A type mismatch, an unknown field, or an exception thrown by the type's constructor (a record's compact
 * constructor may check ranges) is reported as a problem of {@code settings} with the file and JSON path.
 * Handlers read the bound value with {@link ServerContext#settings(Class)}, which then returns the
 * instance checked at start. Must be thread-safe and side-effect free.
 *
 * @since 1.1
 */
public interface DeclaresSettings {

    /**
     * {@return the settings type: a record or a class with a no-argument constructor and setters, from the
     *     plugin; {@code null} when the settings are not declared (they are then bound at first use)}
     */
    Class<?> settingsType();
}
