package io.sockethost.testplugins.zips.jackson;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.pf4j.Extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * Replies, as one line of JSON written by Jackson, the version of the Jackson it runs on, e.g.
 * {@code {"jackson":"2.18.2"}}: the one its plugin zip carries, not the host's. Stateless.
 */
@Extension
public final class JacksonVersionHandler implements StreamHandler {

    @Override
    public void handle(StreamRequest request) throws Exception {
        String reply = new ObjectMapper().writeValueAsString(Map.of("jackson", PackageVersion.VERSION.toString())) + "\n";
        request.output().write(reply.getBytes(StandardCharsets.UTF_8));
    }
}
