package mad.engine.sample;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;

/**
 * The multi-producer rings of one engine, one per aggregator shard. A sample goes to the ring chosen by the hash of
 * its dimensions, so every series of one dimension set is owned by one aggregator (MAD routes by the same key).
 *
 * <p>Thread safety: rings are multi-producer; any ingest thread may publish. Created once, never resized.
 */
public final class ShardRings
{
    private final RingBuffer<SampleEvent>[] rings;
    private final int mask;

    /**
     * @param shards number of aggregator shards, a power of two.
     * @param ringSize slots per ring, a power of two.
     */
    @SuppressWarnings("unchecked")
    public ShardRings(final int shards, final int ringSize)
    {
        if (Integer.bitCount(shards) != 1 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("shards and ringSize must be powers of two: " + shards + ", " + ringSize);
        }
        rings = new RingBuffer[shards];
        for (int i = 0; i < shards; i++)
        {
            // The aggregator polls (EventPoller) inside its own duty cycle, so the wait strategy is never used to
            // block a consumer; it only matters for producers' next(), which we do not call.
            rings[i] = RingBuffer.createMultiProducer(SampleEvent::new, ringSize, new SleepingWaitStrategy());
        }
        mask = shards - 1;
    }

    /**
     * @param dimsHash the hash of the sample's dimensions.
     * @return the ring of the shard that owns them.
     */
    public RingBuffer<SampleEvent> ringFor(final int dimsHash)
    {
        return rings[dimsHash & mask];
    }

    /**
     * @param dimsHash the hash of the sample's dimensions.
     * @return the index of the shard that owns them.
     */
    public int shardFor(final int dimsHash)
    {
        return dimsHash & mask;
    }

    /**
     * @param shard index.
     * @return that shard's ring.
     */
    public RingBuffer<SampleEvent> ring(final int shard)
    {
        return rings[shard];
    }

    public int shardCount()
    {
        return rings.length;
    }
}
