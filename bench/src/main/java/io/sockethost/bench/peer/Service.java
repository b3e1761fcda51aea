package io.sockethost.bench.peer;

/** What a server under test serves. */
public enum Service {
    /** TCP echo. */
    TCP_ECHO,
    /** UDP echo. */
    UDP_ECHO,
    /** HTTP/1.1 static files from the run's document root. */
    HTTP_FILE,
    /** The same files over TLS (a certificate the run makes: {@link BenchCertificate}). */
    HTTPS_FILE
}
