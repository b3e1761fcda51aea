package io.sockethost.bench.scenario;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import io.sockethost.bench.Environment;
import io.sockethost.bench.Settings;
import io.sockethost.bench.peer.JavaPeer;
import io.sockethost.bench.peer.NginxPeer;
import io.sockethost.bench.peer.Peer;
import io.sockethost.bench.peer.PythonPeer;
import io.sockethost.bench.peer.SockethostPeer;
import io.sockethost.bench.system.Commands;

/**
 * What a scenario runs with: the environment, the run's settings, and a stream for progress lines.
 *
 * @param python the Python version, or ""
 * @param nginx the nginx version, or ""
 */
public record Context(Environment env, Settings settings, PrintStream progress, String python, String nginx) {

    public static Context of(Environment env, Settings settings, PrintStream progress) {
        String python = env.python().map(p -> Commands.output(List.of(p.toString(), "--version"))).orElse("");
        String nginx = env.nginx().map(p -> Commands.output(List.of(p.toString(), "-v")).replace("nginx version: ", ""))
                .orElse("");
        return new Context(env, settings, progress, python, nginx);
    }

    /** The runtime a peer runs on, for the tables. */
    public String runtimeOf(Peer peer) {
        if (peer instanceof SockethostPeer s) {
            return s.jvm(env).map(j -> j.label()).orElse("");
        } else if (peer instanceof JavaPeer) {
            return env.jvm().label();
        } else if (peer instanceof PythonPeer) {
            return python;
        } else if (peer instanceof NginxPeer) {
            return nginx;
        }
        return "";
    }

    public void log(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
