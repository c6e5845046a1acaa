package mad.emit.sinks;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.metrics.CounterVisitor;
import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.Sink;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code TimeThresholdSink}: a bucket is stale when {@code now >= start + period + threshold}; stale buckets
 * whose {@code service} is not in {@code excludedServices} are dropped (one warning per 30 s) unless {@code logOnly}.
 *
 * <p>Deviation: a stale bucket without a {@code service} dimension crashes MAD's period worker; here it is dropped
 * alone and counted ({@link #droppedWithoutService()}).
 *
 * <p>Thread ownership: the pipeline's emitter thread; counters are readable from any thread.
 */
public final class TimeThresholdSink implements Sink
{
    private static final Logger LOGGER = LoggerFactory.getLogger(TimeThresholdSink.class);

    private final String name;
    private final Sink sink;
    private final long thresholdMs;
    private final Set<String> excludedServices;
    private final boolean logOnly;
    private final EmitContext context;
    private final RateLimitedLog staleLog;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedWithoutService = new AtomicLong();

    /**
     * @param name the sink name (for log lines).
     * @param sink the sink that receives fresh buckets.
     * @param threshold how late a bucket may be after its period ends.
     * @param excludedServices services never dropped.
     * @param logOnly warn but forward stale buckets.
     * @param context the emit context (clock).
     */
    public TimeThresholdSink(
        final String name, final Sink sink, final Duration threshold, final Set<String> excludedServices,
        final boolean logOnly, final EmitContext context)
    {
        this.name = name;
        this.sink = sink;
        this.thresholdMs = threshold.toMillis();
        this.excludedServices = Set.copyOf(excludedServices);
        this.logOnly = logOnly;
        this.context = context;
        this.staleLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
    }

    /**
     * Reads {@code threshold} (required), {@code sink} (required), {@code excludedServices} ([]) and
     * {@code logOnly} (false).
     */
    public static TimeThresholdSink create(final Settings settings, final EmitContext context)
    {
        if (!settings.has("threshold"))
        {
            throw settings.error("threshold", "TimeThresholdSink requires a 'threshold' duration");
        }
        final Duration threshold = settings.duration("threshold");
        final List<String> excluded = settings.stringList("excludedServices", List.of());
        final boolean logOnly = settings.bool("logOnly", false);
        final Sink inner = context.createSink(settings.child("sink"));
        return new TimeThresholdSink(
            settings.string("name", "threshold"), inner, threshold, Set.copyOf(excluded), logOnly, context);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        final long now = context.nowMs();
        if (now < data.startMs() + data.period().toMillis() + thresholdMs)
        {
            sink.recordAggregateData(data);
            return;
        }
        final String service = data.dimensions().get("service");
        if (service == null)
        {
            droppedWithoutService.incrementAndGet();
            staleLog.warn("sink '" + name + "': dropped stale data without a 'service' dimension: "
                + data.dimensions() + " " + data.period() + " starting at " + data.startMs());
            return;
        }
        if (excludedServices.contains(service))
        {
            sink.recordAggregateData(data);
            return;
        }
        if (logOnly)
        {
            staleLog.warn("sink '" + name + "': stale data (logOnly, forwarded): " + data.dimensions() + " "
                + data.period() + " starting at " + data.startMs());
            sink.recordAggregateData(data);
            return;
        }
        dropped.incrementAndGet();
        staleLog.warn("sink '" + name + "': dropped stale data: " + data.dimensions() + " " + data.period()
            + " starting at " + data.startMs());
    }

    @Override
    public void close()
    {
        sink.close();
    }

    /**
     * @return stale buckets dropped.
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * @return stale buckets dropped because they had no {@code service} dimension (MAD crashes instead).
     */
    public long droppedWithoutService()
    {
        return droppedWithoutService.get();
    }

    @Override
    public String toString()
    {
        return "TimeThresholdSink{" + name + " -> " + sink + "}";
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        sink.visitCounters(visitor);
    }
}
