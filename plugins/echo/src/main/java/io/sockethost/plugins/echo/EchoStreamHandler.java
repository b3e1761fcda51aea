package io.sockethost.plugins.echo;

import java.io.InputStream;
import java.io.OutputStream;

import org.pf4j.Extension;

import io.sockethost.api.DeclaresSettings;
import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/** Sends back every chunk it reads, unchanged and at once, until the client closes its side. */
@Extension
public final class EchoStreamHandler implements StreamHandler, DeclaresSettings {
    /**
     * The read size starts small and grows when a read fills it, as Netty's adaptive receive buffer does: an
     * idle connection that echoed short lines holds 512 bytes, not 4 KiB, and a bulk copy still moves 4 KiB
     * per call.
     */
    private static final int FIRST_CHUNK = 512;
    private static final int MAX_CHUNK = 4 * 1024;

    @Override
    public Class<?> settingsType() {
        return EchoSettings.class;
    }

    @Override
    public void handle(StreamRequest request) throws Exception {
        InputStream in = request.input();
        OutputStream out = request.output();
        byte[] buffer = new byte[FIRST_CHUNK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            out.flush();
            if (n == buffer.length && buffer.length < MAX_CHUNK) {
                buffer = new byte[buffer.length * 2];
            }
        }
    }
}
