package mad.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.agrona.concurrent.IdleStrategy;

import mad.engine.stat.StatisticsPolicy;

/**
 * What one pipeline's engine needs: its periods, idle timeout and statistics (from the pipeline file) and its shape
 * (from the tuning profile). Validated on construction.
 *
 * @param pipelineName the pipeline's {@code name}, used in thread names.
 * @param periods the pipeline's periods, each at least 1 ms.
 * @param idleTimeout MAD's {@code idleTimeout}: how long a series without data is remembered.
 * @param statisticsPolicy statistics per series.
 * @param shards aggregator shards (power of two).
 * @param ringSize slots per ring (power of two).
 * @param handoffCapacity closed buckets that may wait for the emitter per shard (power of two).
 * @param aggregatorIdle idle strategy of aggregator threads.
 */
public record EngineConfig(
    String pipelineName, List<Duration> periods, Duration idleTimeout, StatisticsPolicy statisticsPolicy, int shards,
    int ringSize, int handoffCapacity, Supplier<IdleStrategy> aggregatorIdle, int maxSeries)
{
    /**
     * Active series a pipeline keeps at most (split evenly over its shards) unless the pipeline file says otherwise
     * ({@code maximumSeries}, madx only): beyond it a new series is rejected and counted, so a flood of unique names
     * (a client bug, or an attack) cannot exhaust the heap. At ~830 bytes a series in steady state (PT1S + PT1M, MAD
     * default statistics, measured by {@code perf}'s {@code SeriesFootprint}) this bounds the engine to ~420 MB per
     * pipeline.
     */
    public static final int DEFAULT_MAX_SERIES = 500_000;

    /**
     * The configuration with {@link #DEFAULT_MAX_SERIES}.
     */
    public EngineConfig(
        final String pipelineName, final List<Duration> periods, final Duration idleTimeout,
        final StatisticsPolicy statisticsPolicy, final int shards, final int ringSize, final int handoffCapacity,
        final Supplier<IdleStrategy> aggregatorIdle)
    {
        this(pipelineName, periods, idleTimeout, statisticsPolicy, shards, ringSize, handoffCapacity, aggregatorIdle,
            DEFAULT_MAX_SERIES);
    }

    /**
     * Validates the configuration.
     */
    public EngineConfig
    {
        if (maxSeries < 1)
        {
            throw new IllegalArgumentException("maximumSeries must be at least 1: " + maxSeries);
        }
        if (periods.isEmpty())
        {
            throw new IllegalArgumentException("at least one period is required");
        }
        for (final Duration period : periods)
        {
            if (period.toMillis() < 1)
            {
                throw new IllegalArgumentException("period shorter than 1 ms: " + period);
            }
        }
        periods = List.copyOf(periods);
        if (Integer.bitCount(shards) != 1 || Integer.bitCount(ringSize) != 1 || Integer.bitCount(handoffCapacity) != 1)
        {
            throw new IllegalArgumentException("shards, ringSize and handoffCapacity must be powers of two");
        }
    }
}
