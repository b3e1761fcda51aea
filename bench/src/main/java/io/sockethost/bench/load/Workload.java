package io.sockethost.bench.load;

/** What the load client does on each of its connections. */
public enum Workload {
    /** A persistent TCP connection: send 64 bytes, wait for all 64 back, repeat. */
    TCP_ECHO("req/s"),
    /** Connect, send 64 bytes, read 64 back, close; repeat with a new connection. */
    SHORT_CONNECTIONS("conn/s"),
    /** A connected UDP socket: send a 64-byte datagram, wait for the reply; a lost one is resent after the reply timeout. */
    UDP_ECHO("req/s"),
    /** A persistent HTTP/1.1 connection: GET one path, read the whole response (Content-Length framed), repeat. */
    HTTP_GET("req/s"),
    /** As {@link #HTTP_GET}, over TLS: one blocking client thread per connection, each handshaking once. */
    HTTPS_GET("req/s");

    private final String unit;

    Workload(String unit) {
        this.unit = unit;
    }

    /** The unit of the rate this workload reports. */
    public String unit() {
        return unit;
    }
}
