# Socket activation as systemd does it, for OperationsIT: binds the sockets, puts them at descriptors 3, 4,
# ..., sets LISTEN_FDS, LISTEN_PID (this process's id, which exec keeps) and LISTEN_FDNAMES, and execs the
# command. Java cannot start a child with extra descriptors, so this small step is Python's.
#
#   python3 listen-fds.py SPEC... -- COMMAND...
#   SPEC: NAME=tcp:HOST | NAME=udp:HOST (an ephemeral port) | NAME=unix-stream:PATH | NAME=unix-datagram:PATH
#   (an empty NAME passes no name for that socket). Prints "bound NAME ADDRESS" per socket on standard error before the exec.
import os
import socket
import sys

split = sys.argv.index("--")
specs, command = sys.argv[1:split], sys.argv[split + 1:]
bound = []
for spec in specs:
    name, kind_where = spec.split("=", 1)
    kind, where = kind_where.split(":", 1)
    if kind in ("tcp", "udp"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
        s.bind((where, 0))
        address = "%s:%d" % s.getsockname()
    else:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM if kind == "unix-stream" else socket.SOCK_DGRAM)
        s.bind(where)
        address = where
    if kind in ("tcp", "unix-stream"):
        s.listen(64)
    bound.append((name, address, s))

# Copies first: the sockets themselves may sit at 3, 4, ... already.
copies = [os.dup(s.fileno()) for _, _, s in bound]
for i, fd in enumerate(copies):
    os.dup2(fd, 3 + i, inheritable=True)
for name, address, _ in bound:
    print("bound %s %s" % (name, address), file=sys.stderr, flush=True)
os.environ["LISTEN_FDS"] = str(len(bound))
os.environ["LISTEN_PID"] = str(os.getpid())
os.environ["LISTEN_FDNAMES"] = ":".join(name for name, _, _ in bound)
os.execv(command[0], command)
