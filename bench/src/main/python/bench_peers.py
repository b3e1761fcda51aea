"""Python socketserver peers for the sockethost benchmark, each as its users would write it.

Usage: python3 bench_peers.py KIND PORT [ROOT]

  threading-tcp   ThreadingTCPServer echo
  forking-tcp     ForkingTCPServer echo (max_children raised to 256, as sockethost's maxWorkers)
  udp             UDPServer echo
  threading-udp   ThreadingUDPServer echo
  forking-udp     ForkingUDPServer echo (max_children raised to 256, as for forking-tcp)
  http            ThreadingHTTPServer, HTTP/1.1, static files under ROOT (Nagle's algorithm left on)
  http-nodelay    the same with TCP_NODELAY (StreamRequestHandler.disable_nagle_algorithm)

Stream echo handlers set TCP_NODELAY too, as sockethost and Netty do; every listen backlog is 128,
sockethost's default requestQueueSize. Request logging is off everywhere,
as it is for the other servers measured.
"""
import functools
import http.server
import resource
import socket
import socketserver
import sys


class StreamEcho(socketserver.BaseRequestHandler):
    def setup(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self):
        sock = self.request
        while True:
            data = sock.recv(65536)
            if not data:
                return
            sock.sendall(data)


class DatagramEcho(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)


class ThreadingTCP(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128


class ForkingTCP(socketserver.ForkingTCPServer):
    allow_reuse_address = True
    request_queue_size = 128
    max_children = 256


class ForkingUDP(socketserver.ForkingUDPServer):
    max_children = 256


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass


class QuietFilesNoDelay(QuietFiles):
    disable_nagle_algorithm = True


class ThreadingHTTP(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    request_queue_size = 128


def main(argv):
    kind, port = argv[1], int(argv[2])
    # Holding thousands of idle connections needs as many descriptors as the hard limit allows.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    address = ("127.0.0.1", port)
    if kind == "threading-tcp":
        server = ThreadingTCP(address, StreamEcho)
    elif kind == "forking-tcp":
        server = ForkingTCP(address, StreamEcho)
    elif kind == "udp":
        server = socketserver.UDPServer(address, DatagramEcho)
    elif kind == "threading-udp":
        server = socketserver.ThreadingUDPServer(address, DatagramEcho)
    elif kind == "forking-udp":
        server = ForkingUDP(address, DatagramEcho)
    elif kind in ("http", "http-nodelay"):
        handler = QuietFilesNoDelay if kind == "http-nodelay" else QuietFiles
        server = ThreadingHTTP(address, functools.partial(handler, directory=argv[3]))
    else:
        sys.exit("unknown peer kind: " + kind)
    with server:
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
