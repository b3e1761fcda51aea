package io.sockethost.bench;

import java.time.Duration;

/**
 * One run's parameters.
 *
 * @param serverWarmup warm-up of the first point after a server starts
 * @param warmup warm-up of the other points
 * @param clientThreads threads of the load client (and of wrk) per step, at most one per connection
 * @param fixedRate requests per second of the open-loop scenario
 */
public record Settings(Profile profile, Duration serverWarmup, Duration warmup, Duration duration, int clientThreads,
                       double fixedRate) {
    public static Settings of(Profile profile) {
        return new Settings(profile, profile.serverWarmup(), profile.warmup(), profile.duration(), 2,
                profile == Profile.SMOKE ? 2_000 : 20_000);
    }

    public Settings withDuration(Duration measured) {
        return new Settings(profile, serverWarmup, warmup, measured, clientThreads, fixedRate);
    }

    public Settings withClientThreads(int threads) {
        return new Settings(profile, serverWarmup, warmup, duration, threads, fixedRate);
    }

    public Settings withFixedRate(double rate) {
        return new Settings(profile, serverWarmup, warmup, duration, clientThreads, rate);
    }
}
