package io.sockethost.bench.peer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sockethost.bench.Environment;

/**
 * One of Python's socketserver classes, from {@code bench_peers.py}.
 *
 * @param script the kind argument of {@code bench_peers.py} ("threading-tcp", "http-nodelay", ...)
 */
public record PythonPeer(String id, String name, String script, Service service) implements Peer {
    @Override
    public Kind kind() {
        return Kind.PEER;
    }

    /** ForkingTCPServer forks a child per connection: the same settling run as a forking host, for fairness. */
    @Override
    public boolean startsProcessesUnderLoad() {
        return script.startsWith("forking");
    }

    @Override
    public Optional<String> unavailable(Environment env, Service requested) {
        if (env.python().isEmpty()) {
            return Optional.of("python3 is not on the PATH");
        }
        return requested == service ? Optional.empty() : Optional.of(name + " does not serve " + requested);
    }

    @Override
    public Launch prepare(Environment env, Service requested, int port, Path dir) {
        List<String> command = new ArrayList<>(List.of(env.python().orElseThrow().toString(), env.pythonPeers().toString(),
                script, Integer.toString(port)));
        if (service == Service.HTTP_FILE) {
            command.add(env.docRoot().toString());
        }
        return new Launch(command, dir);
    }
}
