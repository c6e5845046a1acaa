package mad.engine.aggregate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one aggregator did, for self-instrumentation. Single writer (the aggregator, which adds once per batch or per
 * rare event); any thread may read.
 */
public final class AggregatorCounters
{
    final AtomicLong samples = new AtomicLong();
    final AtomicLong bucketsClosed = new AtomicLong();
    final AtomicLong lateBuckets = new AtomicLong();
    final AtomicLong unitConflicts = new AtomicLong();
    final AtomicLong seriesRejected = new AtomicLong();
    final AtomicLong seriesCreated = new AtomicLong();
    final AtomicLong seriesEvicted = new AtomicLong();
    final AtomicLong handoffOverflows = new AtomicLong();

    public long samples()
    {
        return samples.get();
    }

    public long bucketsClosed()
    {
        return bucketsClosed.get();
    }

    /**
     * @return buckets opened for a period start whose earlier bucket had already closed (MAD emits these too).
     */
    public long lateBuckets()
    {
        return lateBuckets.get();
    }

    /**
     * @return samples rejected because their unit differed from the unit their series already had in the bucket.
     */
    public long unitConflicts()
    {
        return unitConflicts.get();
    }

    public long seriesCreated()
    {
        return seriesCreated.get();
    }

    public long seriesEvicted()
    {
        return seriesEvicted.get();
    }

    /**
     * @return closed buckets that found the emitter queue full and waited in the aggregator's overflow list.
     */
    public long handoffOverflows()
    {
        return handoffOverflows.get();
    }

    /**
     * @return samples rejected because their new series would exceed the shard's series limit.
     */
    public long seriesRejected()
    {
        return seriesRejected.get();
    }
}
