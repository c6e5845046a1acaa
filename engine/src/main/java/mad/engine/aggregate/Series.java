package mad.engine.aggregate;

import mad.engine.model.MetricType;
import mad.engine.stat.StatisticSet;

/**
 * One series of a shard: a dimension set, a metric name and a type. Created on first sight (the only allocation a new
 * series costs) and immutable afterwards except for the aggregator's accumulator cache.
 *
 * <p>Thread ownership: identity fields are final and read by the emitter; {@link #current} belongs to the aggregator.
 */
final class Series
{
    final byte[] key;
    final int hash;
    final int id;
    final DimensionSet dimensionSet;
    final String name;
    final MetricType type;
    final StatisticSet statistics;
    /**
     * Per period index: the head of a chain ({@link SeriesAccumulator#nextOfSeries}) of this series' accumulators in
     * that period's open buckets, most recently created first (usually one; two or three while late data or the
     * previous period's bucket is still open). An accumulator leaves the chain when its bucket closes.
     */
    final SeriesAccumulator[] current;
    long lastSeenMs;

    Series(
        final byte[] key, final int hash, final int id, final DimensionSet dimensionSet, final String name,
        final MetricType type, final StatisticSet statistics, final int periods)
    {
        this.key = key;
        this.hash = hash;
        this.id = id;
        this.dimensionSet = dimensionSet;
        this.name = name;
        this.type = type;
        this.statistics = statistics;
        this.current = new SeriesAccumulator[periods];
    }
}
