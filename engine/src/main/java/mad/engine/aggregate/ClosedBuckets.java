package mad.engine.aggregate;

import java.time.Duration;

import mad.engine.output.ClosedPeriodHandler;

/**
 * The emitter's side of the aggregators' hand-off queues: takes closed buckets round-robin from every shard, presents
 * each as {@link mad.engine.output.PeriodicData}, and gives the bucket back to its shard for reuse.
 *
 * <p>Thread ownership: the emitter thread only.
 */
public final class ClosedBuckets
{
    private final AggregatorAgent[] agents;
    private final ClosedBucketReader reader;

    /**
     * @param agents the shards.
     * @param periods the pipeline's periods, by index.
     */
    public ClosedBuckets(final AggregatorAgent[] agents, final Duration[] periods)
    {
        this.agents = agents;
        this.reader = new ClosedBucketReader(periods);
    }

    /**
     * @return closed buckets handed to the handler (at most {@code limit}).
     */
    public int poll(final ClosedPeriodHandler handler, final int limit)
    {
        int handled = 0;
        boolean progress = true;
        while (handled < limit && progress)
        {
            progress = false;
            for (final AggregatorAgent agent : agents)
            {
                final Bucket bucket = agent.closedQueue().poll();
                if (bucket == null)
                {
                    continue;
                }
                progress = true;
                try
                {
                    handler.onPeriod(reader.read(bucket));
                }
                finally
                {
                    giveBack(bucket);
                }
                handled++;
            }
        }
        return handled;
    }

    /**
     * @return true when no shard has a closed bucket waiting.
     */
    public boolean isEmpty()
    {
        for (final AggregatorAgent agent : agents)
        {
            if (!agent.closedQueue().isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    private void giveBack(final Bucket bucket)
    {
        // The return queue is twice the hand-off size, so this only overflows if an aggregator stopped recycling;
        // then the bucket is simply left to the garbage collector.
        agents[bucket.shard].returnQueue().offer(bucket);
    }
}
