package com.example.hello;

/**
 * The {@code settings} block of a hello server, bound by the host from the descriptor and the operator's
 * overrides.
 *
 * @param greeting the word put before each name
 * @param maxLineLength longest line accepted; a longer one ends the connection
 */
public record HelloSettings(String greeting, int maxLineLength) {
}
