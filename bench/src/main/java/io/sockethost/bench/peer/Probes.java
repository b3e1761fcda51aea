package io.sockethost.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One request of a service, done with plain blocking sockets: how the harness knows a server is serving. */
public final class Probes {
    private static final int TIMEOUT_MILLIS = 1000;
    private static final byte[] PROBE = new byte[64];

    static {
        byte[] text = "sockethost-bench-probe;".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < PROBE.length; i++) {
            PROBE[i] = text[i % text.length];
        }
    }

    private Probes() {
    }

    /** @return true if the server answered correctly */
    public static boolean serves(Service service, InetSocketAddress address, String httpPath) {
        try {
            return switch (service) {
                case TCP_ECHO -> tcpEcho(address);
                case UDP_ECHO -> udpEcho(address);
                case HTTP_FILE -> httpGet(address, httpPath);
                case HTTPS_FILE -> httpsGet(address, httpPath);
            };
        } catch (IOException e) {
            return false;
        }
    }

    /** Connects, sends 64 bytes and reads them back. */
    public static boolean tcpEcho(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return echo(socket);
        }
    }

    /** Sends 64 bytes on an open connection and reads them back. */
    public static boolean echo(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(PROBE);
        out.flush();
        byte[] back = socket.getInputStream().readNBytes(PROBE.length);
        return Arrays.equals(back, PROBE);
    }

    private static boolean udpEcho(InetSocketAddress address) throws IOException {
        try (DatagramSocket socket = udpSocket(address)) {
            return udpEcho(socket);
        }
    }

    /** A socket for {@link #udpEcho(DatagramSocket)}, connected to the server. */
    public static DatagramSocket udpSocket(InetSocketAddress address) throws IOException {
        DatagramSocket socket = new DatagramSocket();
        socket.setSoTimeout(200);
        socket.connect(address);
        return socket;
    }

    /**
     * Sends 64 bytes and waits a moment for them to come back. Every probe is the same, so on one socket kept
     * across attempts a late echo of an earlier probe proves the server serves as well: a server that takes
     * longer per datagram than the wait (a forking server starting a JVM per datagram) still gets found
     * serving, instead of answering probes sent to sockets already closed.
     */
    public static boolean udpEcho(DatagramSocket socket) {
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        try {
            socket.send(new DatagramPacket(PROBE, PROBE.length));
            socket.receive(reply);
        } catch (IOException e) {
            return false; // no echo in time, or the port is not bound yet (an ICMP error on the connected socket)
        }
        return Arrays.equals(Arrays.copyOf(reply.getData(), reply.getLength()), PROBE);
    }

    private static boolean httpsGet(InetSocketAddress address, String path) throws IOException {
        try (javax.net.ssl.SSLSocket socket = io.sockethost.bench.load.TlsHttpClient.connect(address, TIMEOUT_MILLIS)) {
            return io.sockethost.bench.load.TlsHttpClient.get(socket, socket.getInputStream(), ("GET " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)) == 200;
        }
    }

    private static boolean httpGet(InetSocketAddress address, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return head.startsWith("HTTP/1.") && head.endsWith("200");
        }
    }
}
