package mad.emit.runtime;

import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.Sink;
import mad.engine.Engine;
import mad.engine.output.ClosedPeriodHandler;
import mad.engine.output.PeriodicData;

/**
 * Drains one pipeline's closed buckets into its root sink. Runs on its own thread so that sinks (encoding, queueing)
 * never slow an aggregator; a sink that throws loses only the bucket it was given.
 *
 * <p>Thread ownership: the emitter thread only (it is the single consumer {@link Engine#pollClosed} requires).
 */
public final class EmitterAgent implements Agent, ClosedPeriodHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(EmitterAgent.class);
    private static final int BATCH = 256;

    private final String roleName;
    private final Engine engine;
    private final Sink rootSink;
    private long emitted;
    private long sinkFailures;

    /**
     * @param pipelineName for the thread name.
     * @param engine the pipeline's engine.
     * @param rootSink the pipeline's root sink (MAD's MultiSink over the configured sinks).
     */
    public EmitterAgent(final String pipelineName, final Engine engine, final Sink rootSink)
    {
        this.roleName = "emitter-" + pipelineName;
        this.engine = engine;
        this.rootSink = rootSink;
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    @Override
    public int doWork()
    {
        return engine.pollClosed(this, BATCH);
    }

    @Override
    public void onPeriod(final PeriodicData data)
    {
        try
        {
            rootSink.recordAggregateData(data);
            emitted++;
        }
        catch (final RuntimeException ex)
        {
            sinkFailures++;
            LOG.error("sink failed on a closed bucket of {}; that bucket is lost to it", roleName, ex);
        }
    }

    /**
     * Emits everything that waits in the hand-off (used at shutdown after the engine flushed, on the caller's thread
     * once the agent's own thread has stopped).
     *
     * @return buckets emitted.
     */
    public int drain()
    {
        int total = 0;
        int n;
        do
        {
            n = engine.pollClosed(this, BATCH);
            total += n;
        }
        while (n > 0);
        return total;
    }

    public long emitted()
    {
        return emitted;
    }

    public long sinkFailures()
    {
        return sinkFailures;
    }
}
