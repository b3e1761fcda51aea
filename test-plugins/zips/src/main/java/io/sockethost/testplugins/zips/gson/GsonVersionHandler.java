package io.sockethost.testplugins.zips.gson;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.pf4j.Extension;

import com.google.gson.Gson;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * Replies, as one line of JSON written by Gson, which Gson jar it was loaded from, e.g.
 * {@code {"library":"gson-2.10.1.jar"}}: the library of the plugin zip that carries it. Stateless.
 */
@Extension
public final class GsonVersionHandler implements StreamHandler {

    @Override
    public void handle(StreamRequest request) throws Exception {
        Path jar = Path.of(Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String reply = new Gson().toJson(Map.of("library", jar.getFileName().toString())) + "\n";
        request.output().write(reply.getBytes(StandardCharsets.UTF_8));
    }
}
