package io.sockethost.testplugins.misbehaving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.pf4j.Extension;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * Does what each line of the client says, answering every command with one line, until the client closes
 * its side. Well-behaved commands:
 * <ul>
 *   <li>{@code pid}: this process's id</li>
 *   <li>{@code whoami}: pid, client address, server name, transport and bound address, tab-separated</li>
 *   <li>{@code sleep MILLIS}: answers {@code slept} after that long (the slow handler)</li>
 *   <li>{@code cat}: sends back everything after this line until the client's end of input</li>
 *   <li>{@code fail}: throws, so the host logs a handler error and the connection closes</li>
 * </ul>
 * The lifecycle {@link SlowStartLifecycle} makes a server slow to start.
 * Misbehaving ones, which never answer ({@code exit}, {@code halt}, {@code oom}, {@code spin}), and
 * {@code raise} are {@link Misbehaviour}'s.
 */
@Extension
public final class MisbehavingHandler implements StreamHandler {
    @Override
    public void handle(StreamRequest request) throws Exception {
        InputStream in = request.input();
        OutputStream out = request.output();
        String line;
        while ((line = readLine(in)) != null) {
            String[] words = line.trim().split("\\s+", 2);
            String argument = words.length > 1 ? words[1] : "";
            switch (words[0]) {
                case "pid" -> reply(out, Long.toString(ProcessHandle.current().pid()));
                case "whoami" -> reply(out, String.join("\t", Long.toString(ProcessHandle.current().pid()),
                        String.valueOf(request.clientAddress()), request.server().name(),
                        request.server().transport().descriptorName(), String.valueOf(request.server().boundAddress())));
                case "sleep" -> {
                    Thread.sleep(Long.parseLong(argument));
                    reply(out, "slept");
                }
                case "cat" -> {
                    in.transferTo(out);
                    return;
                }
                case "fail" -> throw new IllegalStateException("failing on request");
                default -> {
                    if (!Misbehaviour.obey(words[0], argument)) {
                        reply(out, "unknown command: " + line);
                    }
                }
            }
        }
    }

    /** @return the next line without its end, or {@code null} at the end of input */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
