package io.sockethost.testkit.probe;

import io.sockethost.api.StreamHandler;
import io.sockethost.api.StreamRequest;

/** The one handler of the plugin jar that {@code PluginHostExtensionClosesTest} writes: echoes what it reads. */
public final class ProbeHandler implements StreamHandler {
    @Override
    public void handle(StreamRequest request) throws Exception {
        request.input().transferTo(request.output());
    }
}
