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
    private HttpLiteSite site;
    private DocumentRoot root;

    /**
     * Takes the server's shared state and finds the document root's real path, once per connection (so a
     * root swapped for another folder, as deployments do with a symbolic link, serves the new one from the
     * next connection); a root removed since the start refuses the connection with a clear log line.
     */
    @Override
    public void setup(StreamRequest request) {
        site = request.server().state(HttpLiteSite.class);
        root = DocumentRoot.open(site.settings().root(), request.server().home(), request.server().name());
    }

    @Override
    public void handle(StreamRequest request) throws Exception {
        new HttpConnection(request, site, root).serve();
    }
}
