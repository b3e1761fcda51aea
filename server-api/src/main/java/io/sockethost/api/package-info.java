/**
 * The sockethost handler SPI: what a plugin implements and what it is given.
 *
 * <p>The model is Python's {@code socketserver}. A plugin declares servers in its
 * {@code sockethost-plugin.json} descriptor; each server names a handler class. For every request (a
 * connection on stream transports, a datagram on datagram transports) the host creates a new instance of
 * that class through its public no-argument constructor and calls {@code setup}, {@code handle} and
 * {@code finish} on one thread:
 * <ul>
 *   <li>{@link io.sockethost.api.StreamHandler} with a {@link io.sockethost.api.StreamRequest} for
 *       {@code tcp} and {@code unix-stream};</li>
 *   <li>{@link io.sockethost.api.DatagramHandler} with a {@link io.sockethost.api.DatagramRequest} for
 *       {@code udp} and {@code unix-datagram}.</li>
 * </ul>
 * Server-wide policy (verifying clients, reacting to errors and timeouts, periodic housekeeping) lives in
 * an optional {@link io.sockethost.api.ServerHooks} extension named by the descriptor. State that lives as
 * long as a server (a cache, a connection pool, counters) belongs to an optional
 * {@link io.sockethost.api.ServerLifecycle}, which also declares the type of the server's {@code settings}
 * so that the host checks them before anything binds ({@link io.sockethost.api.DeclaresSettings}).
 *
 * <p>Handler and hook classes must be PF4J extensions (annotate them with {@code @org.pf4j.Extension}) so
 * that they are listed in the plugin's {@code META-INF/extensions.idx}; the host refuses a descriptor that
 * names a class missing from that index.
 *
 * <p>Compatibility: this package follows semantic versioning. A minor release may add types and default
 * methods; only a major release removes or changes a signature.
 */
package io.sockethost.api;
