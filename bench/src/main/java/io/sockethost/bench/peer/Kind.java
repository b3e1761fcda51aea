package io.sockethost.bench.peer;

/** The role of a server in the tables. */
public enum Kind {
    /** sockethost itself, in one of its modes. */
    SOCKETHOST,
    /** What users would otherwise run: Python's socketserver, Netty, the JDK's HttpServer, nginx. */
    PEER,
    /** A trivial server that does the least possible: the ceiling the load client can drive on this machine. */
    CEILING
}
