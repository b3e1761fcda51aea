package io.sockethost.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.sockethost.bench.Profile;
import io.sockethost.bench.load.Workload;
import io.sockethost.bench.peer.JavaPeer;
import io.sockethost.bench.peer.Kind;
import io.sockethost.bench.peer.NginxPeer;
import io.sockethost.bench.peer.Peer;
import io.sockethost.bench.peer.PythonPeer;
import io.sockethost.bench.peer.Service;
import io.sockethost.bench.peer.SockethostPeer;
import io.sockethost.bench.servers.DatagramLoopServer;
import io.sockethost.bench.servers.DatagramPoolServer;
import io.sockethost.bench.servers.JdkHttpFileServer;
import io.sockethost.bench.servers.NettyEchoServer;
import io.sockethost.bench.servers.NioEchoServer;
import io.sockethost.bench.servers.ThreadPerConnectionEchoServer;

/** The scenarios of issue 10, with the servers each one compares. */
public final class Scenarios {
    /** Enough workers for the memory scenario's 10,000 connections, each served by its own thread. */
    private static final int MANY_WORKERS = 10_100;

    static final SockethostPeer SYNC = SockethostPeer.of("sync", false);
    static final SockethostPeer THREADING = SockethostPeer.of("threading", false);
    static final SockethostPeer VIRTUAL = SockethostPeer.of("threading", true);
    static final SockethostPeer FORKING = SockethostPeer.of("forking", false);
    static final SockethostPeer FORKING_FRESH = SockethostPeer.forkingFresh();

    static final Peer NETTY = new JavaPeer("netty", "Netty 4.1 echo (" + (NettyEchoServer.epoll() ? "epoll" : "NIO") + ")",
            Kind.PEER, NettyEchoServer.class, List.of(), Set.of(Service.TCP_ECHO));
    static final Peer THREAD_PER_CONNECTION = new JavaPeer("java-thread-per-connection", "plain Java thread per connection",
            Kind.PEER, ThreadPerConnectionEchoServer.class, List.of(), Set.of(Service.TCP_ECHO));
    static final Peer NIO_ECHO = new JavaPeer("nio-echo", "plain NIO echo, a loop per core (ceiling)", Kind.CEILING,
            NioEchoServer.class, List.of(), Set.of(Service.TCP_ECHO));
    static final Peer DATAGRAM_LOOP = new JavaPeer("datagram-loop", "plain DatagramChannel loop (ceiling)", Kind.CEILING,
            DatagramLoopServer.class, List.of(), Set.of(Service.UDP_ECHO));
    static final Peer DATAGRAM_POOL = new JavaPeer("datagram-pool", "plain Java receive loop + thread pool", Kind.PEER,
            DatagramPoolServer.class, List.of(), Set.of(Service.UDP_ECHO));
    static final Peer JDK_HTTP = new JavaPeer("jdk-httpserver", "JDK HttpServer, nodelay", Kind.PEER, JdkHttpFileServer.class,
            List.of("-Dsun.net.httpserver.nodelay=true"), Set.of(Service.HTTP_FILE));
    static final Peer PY_THREADING = new PythonPeer("python-threading", "Python ThreadingTCPServer", "threading-tcp", Service.TCP_ECHO);
    static final Peer PY_FORKING = new PythonPeer("python-forking", "Python ForkingTCPServer", "forking-tcp", Service.TCP_ECHO);
    static final Peer PY_FORKING_UDP = new PythonPeer("python-forking-udp", "Python ForkingUDPServer", "forking-udp",
            Service.UDP_ECHO);
    static final Peer PY_UDP = new PythonPeer("python-udp", "Python UDPServer", "udp", Service.UDP_ECHO);
    static final Peer PY_THREADING_UDP = new PythonPeer("python-threading-udp", "Python ThreadingUDPServer", "threading-udp", Service.UDP_ECHO);
    static final Peer PY_HTTP = new PythonPeer("python-http", "Python ThreadingHTTPServer", "http", Service.HTTP_FILE);
    static final Peer PY_HTTP_NODELAY = new PythonPeer("python-http-nodelay", "Python ThreadingHTTPServer, nodelay",
            "http-nodelay", Service.HTTP_FILE);

    private Scenarios() {
    }

    /**
     * What the quick profile measures unless {@code --server} says otherwise: sockethost's default mode and every
     * peer a DESIGN.md section 9 target is measured against. Each server start costs seconds (a JVM, a quiet
     * wait, a warm-up), so measuring every server, as the full run does, cannot fit in about a minute.
     */
    private static final Set<String> QUICK = Set.of(THREADING.id(), NETTY.id(), PY_THREADING.id(), PY_UDP.id(),
            DATAGRAM_LOOP.id(), JDK_HTTP.id(), new NginxPeer().id());

    /**
     * Every scenario, in report order, with the servers the profile covers: every server in full mode, those
     * the targets compare in quick mode, sockethost alone for SMOKE.
     */
    public static List<Scenario> all(Profile profile) {
        return all(profile, Set.of());
    }

    /**
     * The same, limited to the servers whose ids are in {@code servers} when it is not empty (for profiling
     * one server, or comparing two, without running the rest; in quick mode, any server can be named).
     */
    public static List<Scenario> all(Profile profile, Set<String> servers) {
        Function<List<Peer>, List<Peer>> only = peers -> only(profile, peers, servers);
        List<Peer> tcp = List.of(SYNC, THREADING, VIRTUAL, FORKING, PY_THREADING, PY_FORKING, NETTY,
                THREAD_PER_CONNECTION, NIO_ECHO);
        List<Peer> fixedRate = List.of(THREADING, VIRTUAL, PY_THREADING, NETTY, THREAD_PER_CONNECTION, NIO_ECHO);
        List<Peer> udp = List.of(SYNC, THREADING, VIRTUAL, FORKING, FORKING_FRESH, PY_UDP, PY_THREADING_UDP, PY_FORKING_UDP,
                DATAGRAM_POOL, DATAGRAM_LOOP);
        List<Peer> http = new ArrayList<>(List.of(THREADING, VIRTUAL));
        if (profile == Profile.FULL) {
            http.add(PY_HTTP); // 40 ms per response: it shows Nagle's cost, and a second point tells nothing new
        }
        http.addAll(List.of(PY_HTTP_NODELAY, JDK_HTTP, new NginxPeer()));
        List<Peer> https = profile == Profile.FULL ? List.of(THREADING, VIRTUAL, new NginxPeer())
                : List.of(THREADING, new NginxPeer());
        List<Peer> startup = List.of(THREADING.withAllServers(), VIRTUAL.withAllServers(), NETTY, PY_THREADING, NIO_ECHO);
        // The bare thread-per-connection server beside sockethost's threading rows: what one platform thread per
        // connection costs the JVM itself, without a host around it.
        List<Peer> memory = List.of(THREADING.withAllServers().withMaxWorkers(MANY_WORKERS),
                VIRTUAL.withAllServers().withMaxWorkers(MANY_WORKERS), THREAD_PER_CONNECTION, NETTY, PY_THREADING, NIO_ECHO);
        List<Scenario> all = List.of(
                new ThroughputScenario("tcp-echo", "1. TCP echo, persistent connections",
                        "Each connection sends 64 bytes and waits for all 64 back, then sends again (closed loop).",
                        Service.TCP_ECHO, Workload.TCP_ECHO, List.of(1, 16, 128), List.of(16, 128), false, only.apply(tcp)),
                new ThroughputScenario("tcp-echo-fixed-rate", "1b. TCP echo at a fixed rate (open loop)",
                        "16 persistent connections share a fixed schedule of requests; each latency is measured from the "
                                + "request's scheduled start, so a stall is charged to every request it delays "
                                + "(coordinated omission corrected).",
                        Service.TCP_ECHO, Workload.TCP_ECHO, List.of(16), List.of(16), true, only.apply(fixedRate)),
                new ThroughputScenario("short-connections", "2. Short connections",
                        "16 clients, each in a loop: connect, send 64 bytes, read them back, close.",
                        Service.TCP_ECHO, Workload.SHORT_CONNECTIONS, List.of(16), List.of(16), false, only.apply(tcp)),
                new ThroughputScenario("udp-echo", "3. UDP echo",
                        "Each client sends a 64-byte datagram and waits for the reply (counted lost and resent after 1 s).",
                        Service.UDP_ECHO, Workload.UDP_ECHO, List.of(1, 16), List.of(16), false, only.apply(udp)),
                new ThroughputScenario("http-static", "4. HTTP: a 1 KiB static file, keep-alive",
                        "GET of a 1 KiB file over persistent HTTP/1.1 connections (wrk when installed).",
                        Service.HTTP_FILE, Workload.HTTP_GET, List.of(16, 128), List.of(16), false, only.apply(http)),
                new ThroughputScenario("https-static", "4b. HTTPS: the same file over TLS, keep-alive",
                        "Scenario 4 over TLS 1.3 with one P-256 certificate for every server; each connection does its "
                                + "handshake once, before the window, so this measures the cost of encrypting the "
                                + "traffic, not of handshakes. Blocking client, one thread per connection (not wrk).",
                        Service.HTTPS_FILE, Workload.HTTPS_GET, List.of(16), List.of(16), false, only.apply(https)),
                new StartupScenario("startup", "5. Start-up",
                        "From just before the process starts to its first correct TCP echo; sockethost with every plugin "
                                + "jar the reactor built, every declared server enabled.",
                        only.apply(startup)),
                new MemoryScenario("memory", "6. Memory",
                        "Resident set size of the server's processes idle, then holding idle connections (each proven "
                                + "served by one echo). sockethost runs with maxWorkers 10,100 here, so that every "
                                + "connection has a worker. The plain Java thread-per-connection server has no host "
                                + "around its threads: its growth is what a platform thread per connection costs the "
                                + "JVM itself.",
                        only.apply(memory)));
        return all;
    }

    /** Every server id, for --server. */
    public static List<String> serverIds() {
        return List.of(SYNC, THREADING, VIRTUAL, FORKING, FORKING_FRESH, PY_THREADING, PY_FORKING, NETTY,
                THREAD_PER_CONNECTION, NIO_ECHO, PY_UDP, PY_THREADING_UDP, PY_FORKING_UDP, DATAGRAM_POOL, DATAGRAM_LOOP,
                PY_HTTP, PY_HTTP_NODELAY, JDK_HTTP, new NginxPeer()).stream()
                .map(Peer::id).toList();
    }

    /** The scenario names, for --scenario. */
    public static List<String> names() {
        return all(Profile.FULL).stream().map(Scenario::name).toList();
    }

    private static List<Peer> only(Profile profile, List<Peer> peers, Set<String> servers) {
        if (profile == Profile.SMOKE) {
            return peers.stream().filter(p -> p.id().equals(THREADING.id())).limit(1)
                    .filter(p -> servers.isEmpty() || servers.contains(p.id())).toList();
        }
        Set<String> chosen = !servers.isEmpty() ? servers : profile == Profile.QUICK ? QUICK : null;
        return chosen == null ? peers : peers.stream().filter(p -> chosen.contains(p.id())).toList();
    }
}
