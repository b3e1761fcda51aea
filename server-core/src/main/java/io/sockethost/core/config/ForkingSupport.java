package io.sockethost.core.config;

/** Whether this build can run handlers in worker processes. */
final class ForkingSupport {
    private ForkingSupport() {
    }

    static boolean available() {
        return true;
    }
}
