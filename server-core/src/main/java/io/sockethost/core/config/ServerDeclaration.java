package io.sockethost.core.config;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A server block as written in a plugin descriptor or an override, before defaults and validation.
 * Every field may be absent ({@code null}); {@link ServerConfigResolver} applies defaults and checks values.
 */
public record ServerDeclaration(
        String name,
        String plugin,
        String from,
        String handler,
        String transport,
        String address,
        Boolean enabled,
        ConcurrencyDeclaration concurrency,
        Double timeout,
        Double readTimeout,
        Double writeTimeout,
        Double pollInterval,
        Integer requestQueueSize,
        Boolean allowReuseAddress,
        Boolean reusePort,
        Boolean noDelay,
        Integer maxPacketSize,
        String socketMode,
        VerifyDeclaration verify,
        ProxyProtocolDeclaration proxyProtocol,
        String hooks,
        String lifecycle,
        JsonNode settings,
        TlsDeclaration tls) {

    /** The {@code concurrency} block. */
    public record ConcurrencyDeclaration(
            String mode,
            Integer maxWorkers,
            Boolean virtualThreads,
            Boolean daemonThreads,
            Boolean blockOnClose,
            Integer maxChildren,
            Integer requestsPerChild,
            Integer warmWorkers,
            Double requestTimeout,
            List<String> jvmOptions) {
    }

    /**
     * The {@code tls} block: a PEM {@code certificate} chain and PKCS#8 {@code privateKey}, or a PKCS#12
     * {@code keyStore} whose password comes from an environment variable or a file, never from the block.
     */
    public record TlsDeclaration(String certificate, String privateKey, String keyStore, String keyStorePasswordEnv,
                                 String keyStorePasswordFile, Double handshakeTimeout) {
    }

    /** The {@code verify} block: CIDR rules checked before a handler is made. */
    public record VerifyDeclaration(List<String> allow, List<String> deny, Integer maxConnectionsPerClient) {
    }

    /** The {@code proxyProtocol} block: present turns the PROXY protocol on for a stream server. */
    public record ProxyProtocolDeclaration(List<String> trusted, Double headerTimeout) {
    }
}
