package mad.perf.engine;

import java.time.Duration;
import java.util.List;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.NoOpIdleStrategy;

import mad.engine.Engine;
import mad.engine.EngineConfig;
import mad.engine.stat.StatisticsPolicy;

/**
 * The engine the hot-path benchmarks aggregate into: PT1S + PT1M like the reference config, MAD's default
 * statistics, one shard with a 4096-slot ring, and an aggregator the benchmark thread drives itself (no-op idle).
 *
 * <p>Thread ownership: stateless; the engine it builds belongs to the benchmark thread that calls it.
 */
public final class BenchEngines
{
    private BenchEngines()
    {
    }

    /**
     * @param clock the benchmark's clock (set to its fixed "now" before building).
     * @return a new engine, one shard, PT1S + PT1M.
     */
    public static Engine secondAndMinute(final CachedEpochClock clock)
    {
        return new Engine(new EngineConfig("bench", List.of(Duration.ofSeconds(1), Duration.ofMinutes(1)),
            Duration.ofMinutes(5), StatisticsPolicy.madDefaults(), 1, 4096, 1024, NoOpIdleStrategy::new), clock);
    }
}
