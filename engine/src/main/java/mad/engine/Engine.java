package mad.engine;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.aggregate.AggregatorAgent;
import mad.engine.aggregate.AggregatorCounters;
import mad.engine.aggregate.ClosedBuckets;
import mad.engine.output.ClosedPeriodHandler;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.ShardRings;

/**
 * One pipeline's aggregation engine: its shard rings, one {@link AggregatorAgent} per shard on its own thread, and the
 * hand-off of closed buckets to the pipeline's emitter.
 *
 * <pre>
 *   ingest threads --SamplePublisher--> ring[hash(dims) &amp; mask] --> aggregator[shard] --closed--> pollClosed()
 *                                                                          ^-------- recycled ------'
 * </pre>
 *
 * <p>Thread safety: {@link #newPublisher} may be called from any thread (each publisher then belongs to its caller);
 * {@link #pollClosed} must be called by a single emitter thread; {@link #start}, {@link #flush} and {@link #close} by
 * the wiring thread. Without {@link #start} nothing runs, which lets tests drive {@link #agent(int)} by hand with a
 * fake clock.
 */
public final class Engine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final ShardRings rings;
    private final AggregatorAgent[] agents;
    private final AgentRunner[] runners;
    private final ClosedBuckets closedBuckets;

    /**
     * @param config pipeline and shape.
     * @param clock wall clock in epoch ms (a fake in tests).
     */
    public Engine(final EngineConfig config, final EpochClock clock)
    {
        this.config = config;
        this.rings = new ShardRings(config.shards(), config.ringSize());
        final Duration[] periods = config.periods().toArray(new Duration[0]);
        this.agents = new AggregatorAgent[config.shards()];
        this.runners = new AgentRunner[config.shards()];
        for (int shard = 0; shard < agents.length; shard++)
        {
            agents[shard] = new AggregatorAgent(shard, config.pipelineName(), rings.ring(shard), periods,
                config.statisticsPolicy(), clock, config.idleTimeout(), config.handoffCapacity(),
                Math.max(1, config.maxSeries() / config.shards()));
        }
        this.closedBuckets = new ClosedBuckets(agents, periods);
    }

    public EngineConfig config()
    {
        return config;
    }

    /**
     * Starts one thread per aggregator.
     *
     * @param threadFactory makes (and may pin) the aggregator threads.
     */
    public void start(final ThreadFactory threadFactory)
    {
        for (int shard = 0; shard < agents.length; shard++)
        {
            runners[shard] = new AgentRunner(config.aggregatorIdle().get(),
                ex -> LOG.error("aggregator error", ex), (AtomicCounter)null, agents[shard]);
            AgentRunner.startOnThread(runners[shard], threadFactory);
        }
    }

    /**
     * @param backpressure what a full ring does to the caller's thread.
     * @param counters shared counters of the source the publisher belongs to.
     * @return a publisher owned by the calling thread.
     */
    public SamplePublisher newPublisher(final SamplePublisher.Backpressure backpressure, final PublisherCounters counters)
    {
        return new SamplePublisher(rings, backpressure, counters);
    }

    /**
     * Hands up to {@code limit} closed buckets to the handler, then recycles them. Emitter thread only.
     *
     * @return the number handled.
     */
    public int pollClosed(final ClosedPeriodHandler handler, final int limit)
    {
        return closedBuckets.poll(handler, limit);
    }

    /**
     * Closes every open bucket now (shutdown or pipeline replacement) and waits until every aggregator has done so.
     * Call after the sources stopped; closed buckets then wait in the hand-off for the emitter.
     *
     * @param timeout how long to wait for the aggregators.
     * @return true when every aggregator flushed in time.
     */
    public boolean flush(final Duration timeout)
    {
        final long[] before = new long[agents.length];
        for (int i = 0; i < agents.length; i++)
        {
            before[i] = agents[i].flushesDone();
        }
        newPublisher(SamplePublisher.Backpressure.WAIT, new PublisherCounters("flush")).publishFlush();
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < agents.length; i++)
        {
            while (agents[i].flushesDone() == before[i])
            {
                if (System.nanoTime() > deadline)
                {
                    return false;
                }
                if (runners[i] == null)
                {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        return true;
    }

    /**
     * @return true when no closed bucket waits for the emitter.
     */
    public boolean handoffEmpty()
    {
        return closedBuckets.isEmpty();
    }

    /**
     * @param shard index.
     * @return that shard's agent (tests drive it directly).
     */
    public AggregatorAgent agent(final int shard)
    {
        return agents[shard];
    }

    public int shardCount()
    {
        return agents.length;
    }

    /**
     * @return counters of every aggregator.
     */
    public AggregatorCounters[] counters()
    {
        final AggregatorCounters[] counters = new AggregatorCounters[agents.length];
        for (int i = 0; i < agents.length; i++)
        {
            counters[i] = agents[i].counters();
        }
        return counters;
    }

    /**
     * Stops the aggregator threads. Open buckets are not flushed here: call {@link #flush} first.
     */
    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(runners);
    }
}
