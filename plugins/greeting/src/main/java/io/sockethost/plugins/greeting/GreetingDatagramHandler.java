package io.sockethost.plugins.greeting;

import java.nio.ByteBuffer;

import org.pf4j.Extension;

import io.sockethost.api.DatagramHandler;
import io.sockethost.api.DatagramRequest;

/** The tutorial's UDP server: answers each datagram with {@code Hello, <datagram>!}. A new instance per datagram. */
@Extension
public final class GreetingDatagramHandler implements DatagramHandler {

    @Override
    public void handle(DatagramRequest request) throws Exception {
        ByteBuffer payload = request.payload();
        byte[] message = new byte[payload.remaining()];
        payload.get(message);
        Greeting.write(request.output(), message, 0, message.length);
    }
}
