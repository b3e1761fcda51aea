package io.sockethost.plugins.loginauth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.plugins.loginauth.FailureTracker.Admission;

/**
 * What the connections of one login-auth server share: its settings, its users and its brute-force
 * counters; and the policy of a password attempt: take a slot per user and per address (refused during a
 * lockout, or when {@code maxFailures} attempts are already counted or being checked), check the password in
 * the host's {@link HashPool}, count the result.
 *
 * <p>One per server, made by {@link LoginAuthLifecycle} before the server accepts and shared by its
 * connections' handlers. With {@code forking} concurrency each worker process has its own counters.
 * Thread-safe.
 */
final class LoginService {
    private static final Logger log = LoggerFactory.getLogger(LoginService.class);

    /** How a password attempt ended. */
    enum Outcome {
        /** The password is right. */
        ACCEPTED,
        /** Wrong; the client may try again. */
        REJECTED,
        /** Wrong, and this failure locked the user or the address out. */
        LOCKED_OUT,
        /**
         * Not checked: the user or the address is locked out or has every attempt slot taken, or the hash
         * pool's queue is full.
         */
        REFUSED
    }

    private final String serverName;
    private final LoginAuthSettings settings;
    private final UserDirectory users;
    private final FailureTracker byUser;
    private final FailureTracker byAddress;
    private final HashPool hashPool;
    private final RefusalLog refusalLog;

    /** @param hashPool sized here for this server, see {@link HashPool#limitTo} */
    LoginService(String serverName, java.nio.file.Path home, LoginAuthSettings settings, LongSupplier nanoClock,
            HashPool hashPool) {
        this.serverName = serverName;
        this.settings = settings;
        this.users = new UserDirectory(serverName, settings.usersPath(home));
        this.byUser = tracker(settings, nanoClock);
        this.byAddress = tracker(settings, nanoClock);
        this.refusalLog = new RefusalLog(nanoClock);
        this.hashPool = hashPool;
        hashPool.limitTo(settings.hashPool(), serverName);
    }

    private static FailureTracker tracker(LoginAuthSettings settings, LongSupplier nanoClock) {
        return new FailureTracker(settings.maxFailures(), settings.lockout(), settings.maxLockout(), nanoClock,
                FailureTracker.DEFAULT_CAPACITY);
    }

    LoginAuthSettings settings() {
        return settings;
    }

    UserDirectory users() {
        return users;
    }

    /** @return whether the user exists (the answer the protocol gives at the user-name step) */
    boolean knows(String name) {
        return users.exists(name);
    }

    /**
     * Decides whether to serve a new connection from {@code client} at all. Asked on the server's accept loop
     * ({@link LoginAuthHooks}), before a thread is started for the connection: no if every password it could
     * send would be refused unchecked, because its address is locked out, or has {@code maxFailures}
     * attempts counted or being checked, or has attempts waiting in a {@link HashPool} whose queue is full.
     * A flood of guesses from a refused address then costs an accept and a close each, instead of a thread
     * that reads two messages and answers {@code invalid}; on Java 21+ those threads are virtual threads and
     * queued up before every other server's on the same carrier threads. Refusals are logged as
     * {@link #attempt}'s are, at most one line a minute per address.
     *
     * <p>The answer is a forecast: a connection let in is judged again, as always, when its password comes.
     */
    boolean admitsConnection(SocketAddress client) {
        String address = addressKey(client);
        Admission slot = byAddress.peek(address);
        int inProgress = byAddress.inProgress(address);
        String why;
        if (!(slot instanceof Admission.Admitted)) {
            why = "the address " + address + " " + why(slot);
        } else if (inProgress > 0 && hashPool.saturated()) {
            why = "the host's password checks are all busy, " + hashPool.queueLimit() + " are waiting, and "
                    + inProgress + " of those running or waiting are from " + address;
        } else {
            return true;
        }
        refused(address, "connection from " + client + " closed before its first message", why);
        return false;
    }

    /**
     * Tries a password, counting it against both the user name and the client address before it is
     * checked. Every outcome but success is logged with server, client and user; the password never is.
     *
     * @param password not kept, not cleared
     */
    Outcome attempt(String name, SocketAddress client, char[] password) {
        String user = LogText.quote(name);
        String address = addressKey(client);
        Admission userSlot = byUser.admit(name);
        if (!(userSlot instanceof Admission.Admitted)) {
            refused(address, passwordRefused(user, client), "the user " + why(userSlot));
            return Outcome.REFUSED;
        }
        Admission addressSlot = byAddress.admit(address);
        if (!(addressSlot instanceof Admission.Admitted)) {
            byUser.release(name);
            refused(address, passwordRefused(user, client), "the address " + address + " " + why(addressSlot));
            return Outcome.REFUSED;
        }
        return switch (hashPool.check(() -> users.verify(name, password))) {
            case MATCH -> {
                // Only the user's count: resetting the address's would let one good account shield guesses at others.
                byUser.reset(name);
                byAddress.release(address);
                log.info("server {}: user {} logged in from {}", serverName, user, client);
                yield Outcome.ACCEPTED;
            }
            case NOT_RUN -> {
                byUser.release(name);
                byAddress.release(address);
                refused(address, passwordRefused(user, client), "the host's password checks are all busy and "
                        + hashPool.queueLimit() + " are waiting");
                yield Outcome.REFUSED;
            }
            case NO_MATCH -> failed(name, user, address, client);
        };
    }

    private Outcome failed(String name, String user, String address, SocketAddress client) {
        Duration userLockout = byUser.fail(name);
        Duration addressLockout = byAddress.fail(address);
        if (userLockout.isZero() && addressLockout.isZero()) {
            log.warn("server {}: wrong password for user {} from {}", serverName, user, client);
            return Outcome.REJECTED;
        }
        log.warn("server {}: wrong password for user {} from {}; locked out after {} failures: {}{}{}", serverName, user, client,
                settings.maxFailures(),
                userLockout.isZero() ? "" : "user " + user + " for " + seconds(userLockout),
                userLockout.isZero() || addressLockout.isZero() ? "" : ", ",
                addressLockout.isZero() ? "" : "address " + address + " for " + seconds(addressLockout));
        return Outcome.LOCKED_OUT;
    }

    private static String passwordRefused(String user, SocketAddress client) {
        return "password for user " + user + " from " + client + " refused unchecked";
    }

    /**
     * Logged at most once a minute per address ({@link RefusalLog}), with the count of those not logged.
     *
     * @param what what was refused, with the client; text from the client in it already escaped
     */
    private void refused(String address, String what, String why) {
        int unlogged = refusalLog.admit(address);
        if (unlogged != RefusalLog.QUIET) {
            log.warn("server {}: {}: {}{}", serverName, what, why,
                    unlogged == 0 ? "" : " (" + unlogged + " more from this address refused in the last minute, not logged)");
        }
    }

    private String why(Admission refusal) {
        if (refusal instanceof Admission.LockedOut locked) {
            return "is locked out for another " + seconds(locked.remaining());
        }
        if (refusal instanceof Admission.Full full) {
            return "has " + settings.maxFailures() + " attempts counted, " + full.inProgress() + " of them still being checked";
        }
        throw new IllegalArgumentException("not a refusal: " + refusal);
    }

    /**
     * The key that counts failures per client: the IP address (an IPv6 client by its /64, since one host
     * commonly holds a whole /64), or the socket address on other transports.
     */
    static String addressKey(SocketAddress client) {
        if (client instanceof InetSocketAddress inet && inet.getAddress() != null) {
            InetAddress ip = inet.getAddress();
            if (ip instanceof Inet6Address) {
                byte[] bytes = Arrays.copyOf(ip.getAddress(), 16);
                Arrays.fill(bytes, 8, 16, (byte) 0);
                try {
                    return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException("16 bytes are always an IPv6 address", e);
                }
            }
            return ip.getHostAddress();
        }
        return String.valueOf(client);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
