package com.example.hello;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.pf4j.Extension;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * Answers each line {@code name} with {@code <greeting>, name!}. A new instance serves each connection;
 * the host closes the connection when {@code handle} returns.
 */
@Extension
public final class HelloHandler implements StreamHandler {

    @Override
    public void handle(StreamRequest request) throws Exception {
        HelloSettings settings = request.server().settings(HelloSettings.class);
        BufferedReader lines = new BufferedReader(new InputStreamReader(request.input(), StandardCharsets.UTF_8));
        OutputStream out = request.output();
        for (String name; (name = lines.readLine()) != null; ) {
            if (name.length() > settings.maxLineLength()) {
                out.write("line too long\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            out.write((settings.greeting() + ", " + name.strip() + "!\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
