package mad.engine.aggregate;

import mad.engine.model.MetricType;
import mad.engine.stat.StatisticSet;

/**
 * One series of a shard: a dimension set, a metric name and a type. Created on first sight (the only allocation a new
 * series costs) and immutable afterwards except for {@link #lastSeenMs}.
 *
 * <p>Thread ownership: identity fields are final and read by the emitter; {@link #lastSeenMs} belongs to the
 * aggregator.
 */
final class Series
{
    private static final int TYPE_SHIFT = 30;
    private static final int LOCAL_MASK = (1 << TYPE_SHIFT) - 1;
    private static final MetricType[] TYPES = MetricType.values();

    /**
     * The key bytes after the dimension set's ({@link DimensionSet#key}): the name length and the UTF-8 name, kept only
     * when the name is not ASCII; {@code null} otherwise, because those bytes are then the length and chars of
     * {@link #name} (the series table compares against the name). The full key is {@code dimensionSet.key + tail}:
     * the dimension bytes (most of a key) are kept once per set, and an ASCII name once per series, not twice.
     */
    final byte[] key;
    final DimensionSet dimensionSet;
    final String name;
    final StatisticSet statistics;
    /**
     * This series' index among the live series of its dimension set ({@link #local()}) in bits 0-29 and its
     * {@link MetricType} ordinal in bits 30-31. Why packed: with the key hash kept by the series table only, this makes
     * the object 40 bytes instead of 48 (object sizes are multiples of 8).
     */
    private final int localAndType;
    long lastSeenMs;

    Series(
        final byte[] key, final DimensionSet dimensionSet, final String name,
        final MetricType type, final StatisticSet statistics)
    {
        this.key = key;
        this.dimensionSet = dimensionSet;
        this.name = name;
        this.statistics = statistics;
        final int local = dimensionSet.allocateLocal();
        if (local > LOCAL_MASK)
        {
            throw new IllegalStateException("more than " + LOCAL_MASK + " series in one dimension set");
        }
        this.localAndType = local | type.ordinal() << TYPE_SHIFT;
    }

    /**
     * @return this series' index among the live series of its dimension set: its slot in every bucket of that set
     *         (see {@link Bucket}), so finding the series' state in an open bucket needs no per-series table. Freed for
     *         reuse when the series is evicted (never while one of the set's open buckets holds it).
     */
    int local()
    {
        return localAndType & LOCAL_MASK;
    }

    MetricType type()
    {
        return TYPES[localAndType >>> TYPE_SHIFT];
    }
}
