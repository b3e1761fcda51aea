package io.sockethost.plugins.loginauth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/**
 * Serves one login connection: reads messages (unterminated, as the example's client sends them, or
 * lines), answers each with one reply in the same framing, and after a right password sends {@code valid},
 * pauses, sends {@code <timestamp> broken connect with server} and closes. See {@link LoginSession} for the
 * protocol and {@link LoginAuthSettings} for the settings.
 *
 * <p>The connection also closes when the client closes it, sends a message longer than
 * {@code maxMessageBytes}, takes longer than {@code idleTimeoutSeconds} for a message, or is locked out;
 * each but the first with a log line. A new instance per connection, as the API requires.
 */
@Extension
public final class LoginAuthHandler implements StreamHandler {
    static final String GOODBYE = " broken connect with server";
    private static final Logger log = LoggerFactory.getLogger(LoginAuthHandler.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Override
    public void handle(StreamRequest request) throws IOException {
        LoginService service = request.server().state(LoginService.class);
        LoginAuthSettings settings = service.settings();
        MessageReader reader = new MessageReader(request.input(), settings.maxMessageBytes(), settings.idleTimeout(),
                request::setReadTimeout);
        LoginSession session = new LoginSession(service, request.clientAddress());
        OutputStream out = request.output();
        try {
            MessageReader.Message message;
            while ((message = reader.next()) != null) {
                LoginSession.Response response;
                try {
                    response = session.onMessage(message.body());
                } finally {
                    message.wipe();
                }
                send(out, response.reply(), message.terminator());
                switch (response.after()) {
                    case CONTINUE -> { }
                    case CLOSE -> {
                        return;
                    }
                    case GOODBYE -> {
                        if (pause(settings.goodbyePause())) {
                            send(out, LocalDateTime.now().format(TIMESTAMP) + GOODBYE, message.terminator());
                        }
                        return;
                    }
                }
            }
        } catch (MessageReader.TooLongException e) {
            log.warn("server {}: closing the connection from {}: {}", request.server().name(), request.clientAddress(),
                    e.getMessage());
        } catch (SocketTimeoutException e) {
            log.info("server {}: closing the connection from {}: no complete message within {} s", request.server().name(),
                    request.clientAddress(), settings.idleTimeoutSeconds());
        } finally {
            reader.wipe();
        }
    }

    /** One write and one flush per reply: with TCP_NODELAY it leaves as one segment, which one recv() reads whole. */
    private static void send(OutputStream out, String reply, byte[] terminator) throws IOException {
        byte[] text = reply.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + terminator.length];
        System.arraycopy(text, 0, bytes, 0, text.length);
        System.arraycopy(terminator, 0, bytes, text.length, terminator.length);
        out.write(bytes);
        out.flush();
    }

    /** @return false if interrupted (the host is stopping): the goodbye is then skipped */
    private static boolean pause(Duration pause) {
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
