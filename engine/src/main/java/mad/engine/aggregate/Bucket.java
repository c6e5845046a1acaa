package mad.engine.aggregate;

import mad.engine.sample.SampleEvent;

/**
 * One open aggregation bucket: MAD's (dimension set, period, period start) with every series of that dimension set
 * that had data in it, the expiry that decides when it closes, and the minimum client request time of its records.
 *
 * <p>Thread ownership: written by the owning aggregator while open; once closed it is handed whole to the emitter
 * through a single-producer queue (which publishes it safely) and comes back through the return queue to be reused.
 * {@link #generation} changes on every reuse. A series finds its accumulator in this bucket through its own chain
 * ({@link Series#current}), not through a per-bucket map: a map sized for 100 k series cost ~100 bytes per series per
 * open bucket.
 */
final class Bucket
{
    final int shard;
    DimensionSet dimensionSet;
    int periodIndex;
    long startMs;
    long expiryMs;
    long minRequestTimeMs = SampleEvent.NO_REQUEST_TIME;
    long generation;
    int heapIndex = -1;
    SeriesAccumulator[] accumulators = new SeriesAccumulator[8];
    int accumulatorCount;

    Bucket(final int shard)
    {
        this.shard = shard;
    }

    void reset(final DimensionSet owner, final int period, final long start, final long expiry)
    {
        dimensionSet = owner;
        periodIndex = period;
        startMs = start;
        expiryMs = expiry;
        minRequestTimeMs = SampleEvent.NO_REQUEST_TIME;
        generation++;
        heapIndex = -1;
    }

    void add(final SeriesAccumulator accumulator)
    {
        if (accumulatorCount == accumulators.length)
        {
            accumulators = java.util.Arrays.copyOf(accumulators, accumulatorCount * 2);
        }
        accumulators[accumulatorCount++] = accumulator;
    }

    void noteRequestTime(final long requestTimeMs)
    {
        if (requestTimeMs != SampleEvent.NO_REQUEST_TIME &&
            (minRequestTimeMs == SampleEvent.NO_REQUEST_TIME || requestTimeMs < minRequestTimeMs))
        {
            minRequestTimeMs = requestTimeMs;
        }
    }
}
