package io.sockethost.plugins.uppercase;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Locale;

import org.pf4j.Extension;

import io.sockethost.api.DeclaresSettings;
import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * Sends back every chunk it reads, upper-cased, until the client closes. By default binary-safe and
 * length-preserving (ASCII letters only); with {@code settings.charset}, text in that charset.
 */
@Extension
public final class UppercaseHandler implements StreamHandler, DeclaresSettings {
    private static final int CHUNK = 16 * 1024;

    @Override
    public Class<?> settingsType() {
        return UppercaseSettings.class;
    }

    @Override
    public void handle(StreamRequest request) throws Exception {
        UppercaseSettings settings = request.server().settings(UppercaseSettings.class);
        if (settings.charset() == null) {
            ascii(request.input(), request.output());
        } else {
            text(request.input(), request.output(), Charset.forName(settings.charset()));
        }
    }

    private static void ascii(InputStream in, OutputStream out) throws Exception {
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            AsciiUppercase.inPlace(buffer, 0, n);
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    /** The reader keeps a character split across two reads whole, so multi-byte text is safe at any chunking. */
    private static void text(InputStream in, OutputStream out, Charset charset) throws Exception {
        Reader reader = new InputStreamReader(in, charset);
        Writer writer = new OutputStreamWriter(out, charset);
        char[] buffer = new char[CHUNK];
        int n;
        while ((n = reader.read(buffer)) > 0) {
            writer.write(new String(buffer, 0, n).toUpperCase(Locale.ROOT));
            writer.flush();
        }
    }
}
