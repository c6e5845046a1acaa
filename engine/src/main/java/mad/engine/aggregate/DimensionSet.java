package mad.engine.aggregate;

import java.util.Map;

/**
 * One distinct dimension map seen by a shard: MAD's aggregation key. Holds the decoded dimensions (immutable, read by
 * the emitter) and, per configured period, the buckets currently open for this key.
 *
 * <p>Thread ownership: the open-bucket arrays are touched only by the owning aggregator; {@link #dimensions} is
 * immutable and safely read by the emitter after a bucket hand-off.
 */
final class DimensionSet
{
    final byte[] key;
    final int hash;
    final Map<String, String> dimensions;
    /** Per period index: the open buckets (usually one; more while late data or a previous period is pending). */
    final Bucket[][] open;
    final int[] openCount;
    long lastSeenMs;
    /** Local series indexes handed out so far (the high-water mark): the slots a bucket of this set may need. */
    int localCount;
    private int[] freeLocals = new int[4];
    private int freeLocalCount;

    DimensionSet(final byte[] key, final int hash, final Map<String, String> dimensions, final int periods)
    {
        this.key = key;
        this.hash = hash;
        this.dimensions = dimensions;
        this.open = new Bucket[periods][2];
        this.openCount = new int[periods];
    }

    Bucket find(final int period, final long startMs)
    {
        final Bucket[] buckets = open[period];
        for (int i = 0, n = openCount[period]; i < n; i++)
        {
            if (buckets[i].startMs == startMs)
            {
                return buckets[i];
            }
        }
        return null;
    }

    void add(final int period, final Bucket bucket)
    {
        if (openCount[period] == open[period].length)
        {
            open[period] = java.util.Arrays.copyOf(open[period], openCount[period] * 2);
        }
        open[period][openCount[period]++] = bucket;
    }

    void remove(final int period, final Bucket bucket)
    {
        final Bucket[] buckets = open[period];
        final int n = openCount[period];
        for (int i = 0; i < n; i++)
        {
            if (buckets[i] == bucket)
            {
                buckets[i] = buckets[n - 1];
                buckets[n - 1] = null;
                openCount[period] = n - 1;
                return;
            }
        }
    }

    /** @return a free local series index (see {@link Series#local}), reusing those of evicted series first. */
    int allocateLocal()
    {
        return freeLocalCount > 0 ? freeLocals[--freeLocalCount] : localCount++;
    }

    /** Gives back the local index of an evicted series (which no open bucket holds). */
    void freeLocal(final int local)
    {
        if (freeLocalCount == freeLocals.length)
        {
            freeLocals = java.util.Arrays.copyOf(freeLocals, freeLocalCount * 2);
        }
        freeLocals[freeLocalCount++] = local;
    }

    /** @return whether an open bucket of this set holds the series of local index {@code local}. */
    boolean holds(final int local)
    {
        for (int period = 0; period < open.length; period++)
        {
            final Bucket[] buckets = open[period];
            for (int i = 0, n = openCount[period]; i < n; i++)
            {
                if (buckets[i].holds(local))
                {
                    return true;
                }
            }
        }
        return false;
    }

    boolean hasOpenBuckets()
    {
        for (final int count : openCount)
        {
            if (count > 0)
            {
                return true;
            }
        }
        return false;
    }
}
