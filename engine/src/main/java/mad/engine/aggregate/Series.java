package mad.engine.aggregate;

import java.util.Arrays;

import mad.engine.model.MetricType;
import mad.engine.stat.StatisticSet;

/**
 * One series of a shard: a dimension set, a metric name and a type. Created on first sight (the only allocation a new
 * series costs) and immutable afterwards except for the aggregator's table of open slots.
 *
 * <p>Thread ownership: identity fields are final and read by the emitter; {@link #open}, {@link #stride} and
 * {@link #lastSeenMs} belong to the aggregator.
 */
final class Series
{
    static final long EMPTY = -1L;

    final byte[] key;
    final int hash;
    final int id;
    final DimensionSet dimensionSet;
    final String name;
    final MetricType type;
    final StatisticSet statistics;
    /**
     * The slots of this series in its period's open buckets: per period index {@code stride} entries
     * {@code open[period * stride + k]}, each {@link #EMPTY} or {@code bucketId << 32 | slot} (see {@link Bucket#id}),
     * usually one per period, two or three while late data or the previous period's bucket is still open. Primitive
     * on purpose: opening a bucket writes no reference into this (old) object. An entry is cleared when its bucket
     * closes. Grown (doubling the stride) by the aggregator when a period has more open buckets than entries.
     */
    long[] open;
    int stride;
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
        this.stride = 2;
        this.open = new long[periods * stride];
        Arrays.fill(open, EMPTY);
    }

    static int bucketIdOf(final long entry)
    {
        return (int)(entry >>> 32);
    }

    static int slotOf(final long entry)
    {
        return (int)entry;
    }

    /** Records that this series has {@code slot} in the open bucket {@code bucketId} of {@code period}. */
    void putOpen(final int period, final int bucketId, final int slot)
    {
        final long entry = (long)bucketId << 32 | (slot & 0xFFFF_FFFFL);
        final int base = period * stride;
        for (int k = base; k < base + stride; k++)
        {
            if (open[k] == EMPTY)
            {
                open[k] = entry;
                return;
            }
        }
        final int periods = open.length / stride;
        final int wider = stride * 2;
        final long[] grown = new long[periods * wider];
        Arrays.fill(grown, EMPTY);
        for (int p = 0; p < periods; p++)
        {
            System.arraycopy(open, p * stride, grown, p * wider, stride);
        }
        grown[period * wider + stride] = entry;
        open = grown;
        stride = wider;
    }

    /** Forgets this series' slot in the closing bucket {@code bucketId} of {@code period}. */
    void removeOpen(final int period, final int bucketId)
    {
        final int base = period * stride;
        for (int k = base; k < base + stride; k++)
        {
            if (open[k] != EMPTY && bucketIdOf(open[k]) == bucketId)
            {
                open[k] = EMPTY;
                return;
            }
        }
    }

    boolean hasOpen()
    {
        for (final long entry : open)
        {
            if (entry != EMPTY)
            {
                return true;
            }
        }
        return false;
    }
}
