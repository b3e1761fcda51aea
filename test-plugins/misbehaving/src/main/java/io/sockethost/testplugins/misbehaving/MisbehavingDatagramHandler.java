package io.sockethost.testplugins.misbehaving;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.pf4j.Extension;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.DatagramRequest;

/**
 * The datagram twin of {@link MisbehavingHandler}: does what the datagram says and replies with one
 * datagram. Well-behaved commands:
 * <ul>
 *   <li>{@code pid}: this process's id</li>
 *   <li>{@code whoami}: pid, client address, server name, transport and bound address, tab-separated</li>
 *   <li>{@code sleep MILLIS}: answers {@code slept} and the pid, tab-separated, after that long</li>
 *   <li>{@code fail}: writes {@code written before failing}, then throws (the reply still goes out, as in
 *       Python, whose {@code finish()} sends what {@code wfile} holds)</li>
 *   <li>{@code discard}: writes, then discards its reply: no datagram goes back</li>
 *   <li>anything else: the datagram itself (CPython's echo handler)</li>
 * </ul>
 * The misbehaving ones and {@code raise} are {@link Misbehaviour}'s.
 */
@Extension
public final class MisbehavingDatagramHandler implements DatagramHandler {

    @Override
    public void handle(DatagramRequest request) throws Exception {
        ByteBuffer payload = request.payload();
        String text = StandardCharsets.UTF_8.decode(payload.duplicate()).toString().trim();
        String[] words = text.split("\\s+", 2);
        String argument = words.length > 1 ? words[1] : "";
        OutputStream out = request.output();
        switch (words[0]) {
            case "pid" -> write(out, Long.toString(ProcessHandle.current().pid()));
            case "whoami" -> write(out, String.join("\t", Long.toString(ProcessHandle.current().pid()),
                    String.valueOf(request.clientAddress()), request.server().name(),
                    request.server().transport().descriptorName(), String.valueOf(request.server().boundAddress())));
            case "sleep" -> {
                Thread.sleep(Long.parseLong(argument));
                write(out, "slept\t" + ProcessHandle.current().pid());
            }
            case "fail" -> {
                write(out, "written before failing");
                throw new IllegalStateException("failing on request");
            }
            case "discard" -> {
                write(out, "discarded");
                request.discardReply();
            }
            default -> {
                if (!Misbehaviour.obey(words[0], argument)) {
                    java.nio.channels.Channels.newChannel(out).write(payload);
                }
            }
        }
    }

    private static void write(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
