package io.sockethost.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The host options the harness chooses for itself. */
class SockethostPeerTest {
    @Test
    void aNativeAgentTurnsTheClassDataSharingArchiveOff() {
        assertThat(SockethostPeer.loadsNativeAgent(List.of("-agentpath:/opt/ap/libasyncProfiler.so=start,event=cpu")))
                .as("the JVM refuses to dump an archive with a native agent loaded").isTrue();
        assertThat(SockethostPeer.loadsNativeAgent(List.of("-agentlib:jdwp=transport=dt_socket"))).isTrue();
        assertThat(SockethostPeer.loadsNativeAgent(List.of("-XX:StartFlightRecording=filename=host.jfr"))).isFalse();
        assertThat(SockethostPeer.loadsNativeAgent(List.of())).isFalse();
    }
}
