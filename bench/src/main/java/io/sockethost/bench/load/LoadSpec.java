package io.sockethost.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One time-bounded load step.
 *
 * @param workload what each connection does
 * @param target the server
 * @param connections concurrent connections (or UDP clients, or short-connection clients)
 * @param threads client threads the connections are spread over (each runs one selector)
 * @param warmup load applied before measuring starts (not recorded, except errors)
 * @param duration the measured window
 * @param ratePerSecond 0 for closed loop; otherwise requests start on a fixed schedule (open loop) and
 *        latencies are measured from each request's scheduled start, which corrects coordinated omission
 * @param replyTimeout TCP: a request still unanswered when the step ends, after at least this long, counts as an
 *        error (its connection starved); UDP: a reply not back within this long counts as lost and the request
 *        is sent again
 * @param httpPath the path a {@link Workload#HTTP_GET} requests
 */
public record LoadSpec(Workload workload, InetSocketAddress target, int connections, int threads, Duration warmup,
                       Duration duration, double ratePerSecond, Duration replyTimeout, String httpPath) {
    public LoadSpec {
        Objects.requireNonNull(workload);
        Objects.requireNonNull(target);
        if (connections < 1 || threads < 1) {
            throw new IllegalArgumentException("connections and threads must be positive");
        }
        if (ratePerSecond < 0 || (ratePerSecond > 0 && workload != Workload.TCP_ECHO)) {
            throw new IllegalArgumentException("a fixed rate is supported for TCP echo only");
        }
        threads = Math.min(threads, connections);
    }

    /** A closed-loop step. */
    public static LoadSpec closedLoop(Workload workload, InetSocketAddress target, int connections, int threads,
                                      Duration warmup, Duration duration) {
        return new LoadSpec(workload, target, connections, threads, warmup, duration, 0, Duration.ofSeconds(1), "/");
    }

    public LoadSpec withRate(double perSecond) {
        return new LoadSpec(workload, target, connections, threads, warmup, duration, perSecond, replyTimeout, httpPath);
    }

    public LoadSpec withHttpPath(String path) {
        return new LoadSpec(workload, target, connections, threads, warmup, duration, ratePerSecond, replyTimeout, path);
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }
}
