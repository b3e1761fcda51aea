package io.sockethost.plugins.echo;

import java.nio.ByteBuffer;
import java.nio.channels.Channels;

import org.pf4j.Extension;

import io.sockethost.api.DeclaresSettings;
import io.sockethost.api.DatagramHandler;
import io.sockethost.api.DatagramRequest;

/** Replies to every datagram with the same bytes. */
@Extension
public final class EchoDatagramHandler implements DatagramHandler, DeclaresSettings {

    @Override
    public Class<?> settingsType() {
        return EchoSettings.class;
    }

    @Override
    public void handle(DatagramRequest request) throws Exception {
        ByteBuffer payload = request.payload();
        Channels.newChannel(request.output()).write(payload);
    }
}
