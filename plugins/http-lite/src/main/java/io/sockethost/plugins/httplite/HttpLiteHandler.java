package io.sockethost.plugins.httplite;

import org.pf4j.Extension;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * http-lite: a small HTTP/1.1 and 1.0 server of static files, Python's {@code http.server} as a sockethost
 * stream handler. One instance per connection, as the SPI makes them; it serves every request the
 * connection carries. Configured by {@link HttpLiteSettings}.
 */
@Extension
public final class HttpLiteHandler implements StreamHandler {
    private HttpLiteSettings settings;
    private DocumentRoot root;

    /** Binds the settings and finds the document root; a missing root refuses the connection with a clear log line. */
    @Override
    public void setup(StreamRequest request) {
        settings = request.server().settings(HttpLiteSettings.class);
        root = DocumentRoot.open(settings.root(), request.server().home(), request.server().name());
    }

    @Override
    public void handle(StreamRequest request) throws Exception {
        new HttpConnection(request, settings, root).serve();
    }
}
