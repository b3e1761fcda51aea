package io.sockethost.plugins.echo;

/**
 * The echo servers' {@code settings}: none. Declared all the same, so that a field an operator sets there
 * (a typo, or a setting meant for another server) is refused when the configuration is checked instead of
 * being silently ignored.
 */
public record EchoSettings() {
}
