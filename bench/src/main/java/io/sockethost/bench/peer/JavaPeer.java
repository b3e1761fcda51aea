package io.sockethost.bench.peer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.sockethost.bench.Environment;

/**
 * A Java server from this module ({@code io.sockethost.bench.servers}), run on the harness's JDK with the
 * harness's class path: Netty, the plain NIO echo, the DatagramChannel loop, the JDK HttpServer.
 */
public record JavaPeer(String id, String name, Kind kind, Class<?> mainClass, List<String> jvmOptions,
                       Set<Service> services) implements Peer {
    public JavaPeer {
        jvmOptions = List.copyOf(jvmOptions);
        services = Set.copyOf(services);
    }

    @Override
    public Optional<String> unavailable(Environment env, Service service) {
        return services.contains(service) ? Optional.empty() : Optional.of(name + " does not serve " + service);
    }

    @Override
    public Launch prepare(Environment env, Service service, int port, Path dir) {
        List<String> command = new ArrayList<>();
        command.add(env.jvm().java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", env.benchClassPath(), mainClass.getName(), Integer.toString(port)));
        if (service == Service.HTTP_FILE) {
            command.add(env.docRoot().toString());
        }
        return new Launch(command, dir);
    }
}
