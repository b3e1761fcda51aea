package io.sockethost.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.sockethost.bench.Profile;
import io.sockethost.bench.peer.Peer;

/** Which servers each profile measures: the quick mode's about-a-minute budget rests on this choice. */
class ScenariosTest {
    private static Map<String, List<String>> servers(Profile profile, Set<String> only) {
        return Scenarios.all(profile, only).stream().collect(Collectors.toMap(Scenario::name,
                s -> s.peers().stream().map(Peer::id).toList()));
    }

    @Test
    void quickModeMeasuresSockethostThreadingBesideThePeersTheTargetsName() {
        Map<String, List<String>> quick = servers(Profile.QUICK, Set.of());

        assertThat(quick.get("tcp-echo")).containsExactly("sockethost-threading", "python-threading", "netty");
        assertThat(quick.get("short-connections")).containsExactly("sockethost-threading", "python-threading", "netty");
        assertThat(quick.get("udp-echo")).containsExactly("sockethost-threading", "python-udp", "datagram-loop");
        assertThat(quick.get("http-static")).containsExactly("sockethost-threading", "jdk-httpserver", "nginx");
        assertThat(quick.get("https-static")).containsExactly("sockethost-threading", "nginx");
        assertThat(quick.get("startup")).containsExactly("sockethost-threading", "netty", "python-threading");
        assertThat(quick.get("memory")).containsExactly("sockethost-threading", "netty", "python-threading");
    }

    @Test
    void fullModeMeasuresEveryServer() {
        Map<String, List<String>> full = servers(Profile.FULL, Set.of());

        assertThat(full.get("tcp-echo")).hasSize(9).contains("sockethost-forking", "sockethost-virtual", "nio-echo");
        assertThat(full.get("http-static")).contains("python-http");
    }

    @Test
    void namedServersAreMeasuredInQuickModeToo() {
        Map<String, List<String>> quick = servers(Profile.QUICK, Set.of("sockethost-forking", "python-forking"));

        assertThat(quick.get("tcp-echo")).containsExactly("sockethost-forking", "python-forking");
        assertThat(quick.get("udp-echo")).containsExactly("sockethost-forking");
    }

    @Test
    void forkingUdpIsMeasuredWithWorkersReusedAndFreshBesidePythonsForkingUdpServer() {
        Map<String, List<String>> full = servers(Profile.FULL, Set.of());

        assertThat(full.get("udp-echo")).contains("sockethost-forking", "sockethost-forking-fresh", "python-forking-udp");
        assertThat(full.get("tcp-echo")).doesNotContain("sockethost-forking-fresh", "python-forking-udp");
    }

    @Test
    void smokeMeasuresSockethostThreadingAlone() {
        assertThat(servers(Profile.SMOKE, Set.of()).values()).allSatisfy(ids -> assertThat(ids)
                .containsExactly("sockethost-threading"));
    }
}
