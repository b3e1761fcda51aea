package io.sockethost.plugins.httplite;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.StreamRequest;

/**
 * One client connection: reads requests one after another (keep-alive, pipelining), reads past their
 * bodies, answers each in order, and decides when the connection ends. A request that breaks the protocol
 * or a limit is answered with its error status and {@code Connection: close}; the connection ends after it
 * because its framing can no longer be trusted. One per connection, on the connection's thread.
 */
final class HttpConnection {
    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
    private static final String ALLOW = "GET, HEAD, OPTIONS";
    private static final byte[] NO_BODY = new byte[0];
    /** Bounds on reading what a refused client still sends, before the connection closes. */
    private static final long DRAIN_BYTES = 1 << 20;
    private static final long DRAIN_MILLIS = 1000;
    private static final long DRAIN_QUIET_MILLIS = 100;

    private final HttpLiteSettings settings;
    private final long keepAliveMillis;
    private final RequestReader reader;
    private final ResponseWriter writer;
    private final StaticFiles files;
    private final AccessLog accessLog;
    private final String where;

    HttpConnection(StreamRequest request, HttpLiteSite site, DocumentRoot root) {
        HttpLiteSettings settings = site.settings();
        this.settings = settings;
        this.keepAliveMillis = settings.keepAliveTimeoutMillis();
        this.writer = new ResponseWriter(request.output());
        this.reader = new RequestReader(request.input(), request.output(), request::setReadTimeout, settings);
        this.where = "server " + request.server().name() + ", client " + request.clientAddress();
        this.files = new StaticFiles(root, settings, site.cache(), writer, where);
        this.accessLog = new AccessLog(site.accessLog(), request.server().name(), request.clientAddress());
    }

    /** Serves requests until the client closes, idles out, or a response ends the connection. */
    void serve() throws IOException {
        long idleMillis = settings.headerTimeoutMillis();
        while (true) {
            RequestHead head;
            try {
                head = reader.readHead(idleMillis);
            } catch (HttpException e) {
                refuse(e, System.nanoTime());
                return;
            }
            if (head == null || !exchange(head)) {
                return;
            }
            idleMillis = keepAliveMillis;
        }
    }

    /** @return whether the connection stays open for another request */
    private boolean exchange(RequestHead head) throws IOException {
        long start = System.nanoTime();
        boolean keepAlive = head.keepAlive() && keepAliveMillis > 0;
        boolean bodyUnread = false;
        if (head.hasBody()) {
            try {
                if (head.expectContinue() && head.contentLength() <= settings.maxBodySize()) {
                    // The body would be thrown away, so it is never asked for: answer at once without
                    // 100 Continue and close, as RFC 9110 10.1.1 allows.
                    keepAlive = false;
                    bodyUnread = true;
                } else {
                    reader.skipBody(head);
                }
            } catch (HttpException e) {
                refuse(e, start);
                return false;
            }
        }
        respond(head, keepAlive);
        accessLog.record(head.method(), head.target(), head.version(), writer.status().code(), writer.bodyBytes(), start);
        if (bodyUnread || !keepAlive && reader.hasUnread()) {
            reader.drain(DRAIN_BYTES, DRAIN_MILLIS, DRAIN_QUIET_MILLIS);
        }
        return keepAlive;
    }

    private void respond(RequestHead head, boolean keepAlive) throws IOException {
        switch (head.method()) {
            case "GET", "HEAD" -> files.serve(head, keepAlive);
            case "OPTIONS" -> writer.start(HttpStatus.NO_CONTENT, head.version(), keepAlive).header("Allow", ALLOW)
                    .send(NO_BODY, false);
            case "POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT" ->
                    writer.start(HttpStatus.METHOD_NOT_ALLOWED, head.version(), keepAlive).header("Allow", ALLOW)
                            .sendStatusText(true);
            default -> writer.start(HttpStatus.NOT_IMPLEMENTED, head.version(), keepAlive).sendStatusText(true);
        }
    }

    /** Answers a request that broke the protocol or a limit, then lets the connection end. */
    private void refuse(HttpException e, long start) throws IOException {
        HeadParser known = reader.lastHead();
        HttpVersion version = known.version() == null ? HttpVersion.HTTP_1_1 : known.version();
        writer.start(e.status(), version, false).sendStatusText(!"HEAD".equals(known.method()));
        log.debug("{}: refused request with {}: {}", where, e.status().code(), LogText.escape(e.getMessage()));
        accessLog.record(known.method(), known.target(), known.version(), e.status().code(), writer.bodyBytes(), start);
        if (e.status() != HttpStatus.REQUEST_TIMEOUT) {
            reader.drain(DRAIN_BYTES, DRAIN_MILLIS, DRAIN_QUIET_MILLIS);
        }
    }
}
