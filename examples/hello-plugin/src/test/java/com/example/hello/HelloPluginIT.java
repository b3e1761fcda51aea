package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.testkit.PluginHost;
import io.sockethost.testkit.StreamClient;
import io.sockethost.testkit.WithPluginHost;

/** The plugin's real jar, loaded by a real sockethost, on an ephemeral port. */
@Timeout(30)
@WithPluginHost(overrides = "{\"servers\": {\"hello\": {\"settings\": {\"maxLineLength\": 10}}}}")
class HelloPluginIT {

    @Test
    void greetsEveryLine(PluginHost host) throws Exception {
        try (StreamClient client = StreamClient.connect(host.address("hello"))) {
            client.send("Ada\nGrace\n");
            assertEquals("Hello, Ada!", client.receiveLine());
            assertEquals("Hello, Grace!", client.receiveLine());
        }
    }

    @Test
    void refusesLinesLongerThanTheSetting(PluginHost host) throws Exception {
        try (StreamClient client = StreamClient.connect(host.address("hello"))) {
            client.send("a name far too long\n");
            assertEquals("line too long", client.receiveLine());
            assertEquals(null, client.receiveLine());
        }
    }
}
