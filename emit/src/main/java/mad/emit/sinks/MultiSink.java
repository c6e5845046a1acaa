package mad.emit.sinks;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.metrics.CounterVisitor;
import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.Sink;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code MultiSink}: hands every bucket to each of its {@code sinks} in configuration order and closes them
 * all. A sink that throws (a bug: sinks must not) is logged and does not stop the others.
 *
 * <p>Thread ownership: the pipeline's emitter thread.
 */
public final class MultiSink implements Sink
{
    private static final Logger LOGGER = LoggerFactory.getLogger(MultiSink.class);

    private final String name;
    private final Sink[] sinks;
    private final RateLimitedLog failureLog;

    /**
     * @param name the sink name (for log lines).
     * @param sinks the sinks, in order.
     * @param context the emit context (clock for rate limiting).
     */
    public MultiSink(final String name, final List<Sink> sinks, final EmitContext context)
    {
        this.name = name;
        this.sinks = sinks.toArray(new Sink[0]);
        this.failureLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
    }

    /**
     * Reads {@code sinks} (list of sink objects, required).
     */
    public static MultiSink create(final Settings settings, final EmitContext context)
    {
        if (!settings.has("sinks"))
        {
            throw settings.error("sinks", "MultiSink requires a 'sinks' list");
        }
        final List<Settings> children = settings.children("sinks");
        final Sink[] sinks = new Sink[children.size()];
        for (int i = 0; i < sinks.length; i++)
        {
            sinks[i] = context.createSink(children.get(i));
        }
        return new MultiSink(settings.string("name", "multi"), List.of(sinks), context);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        for (final Sink sink : sinks)
        {
            try
            {
                sink.recordAggregateData(data);
            }
            catch (final RuntimeException e)
            {
                failureLog.warn("sink '" + name + "': inner sink " + sink + " failed: " + e);
            }
        }
    }

    @Override
    public void close()
    {
        for (final Sink sink : sinks)
        {
            try
            {
                sink.close();
            }
            catch (final RuntimeException e)
            {
                LOGGER.warn("sink '{}': closing inner sink {} failed", name, sink, e);
            }
        }
    }

    @Override
    public String toString()
    {
        return "MultiSink{" + name + "}";
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        for (final Sink sink : sinks)
        {
            sink.visitCounters(visitor);
        }
    }
}
