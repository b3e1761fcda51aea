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
    private static final int CHUNK = 4 * 1024;

    @Override
    public Class<?> settingsType() {
        return EchoSettings.class;
    }

    @Override
    public void handle(StreamRequest request) throws Exception {
        InputStream in = request.input();
        OutputStream out = request.output();
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }
}
