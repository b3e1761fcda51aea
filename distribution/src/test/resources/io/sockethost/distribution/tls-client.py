"""A TLS client made with Python's ssl module, for the TLS tests of the distribution.

usage: tls-client.py HOST PORT CAFILE [--max-tls1.1] [--until-closed] LINE...
Connects, trusting CAFILE only (hostname checked), sends each LINE with a newline and prints the line that
comes back for it. Prints "protocol: TLSv1.x" first. Then, with --until-closed, prints what else the server
sends until it closes; without, ends the session with a close_notify and prints "closed cleanly" once the
server has answered with its own. With --max-tls1.1 it offers TLS 1.1 at most (and the old ciphers it
needs). A failed handshake prints "handshake failed: REASON" and exits 2.
"""
import socket
import ssl
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.1 is deprecated: that is the point

host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = sys.argv[4:]
old = "--max-tls1.1" in lines
until_closed = "--until-closed" in lines
lines = [line for line in lines if line not in ("--max-tls1.1", "--until-closed")]
context = ssl.create_default_context(cafile=cafile)
if old:
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT@SECLEVEL=0")
with socket.create_connection((host, port), timeout=15) as raw:
    try:
        conn = context.wrap_socket(raw, server_hostname="localhost")
    except (ssl.SSLError, ConnectionError) as e:
        print("handshake failed: %s" % e, flush=True)
        sys.exit(2)
    with conn:
        print("protocol: %s" % conn.version(), flush=True)
        reader = conn.makefile("rb")
        for line in lines:
            conn.sendall((line + "\n").encode())
            print(reader.readline().decode().rstrip("\n"), flush=True)
        if until_closed:
            for rest in reader:
                print(rest.decode().rstrip("\n"), flush=True)
        else:
            reader.close()
            conn.unwrap()
            print("closed cleanly", flush=True)
