package mad.emit.sinks;

import java.util.LinkedHashMap;
import java.util.Map;

import mad.engine.metrics.CounterVisitor;
import mad.emit.EmitContext;
import mad.emit.Sink;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code DimensionInjectingSink}: forwards each bucket with dimensions = {@code defaultDimensions}, then the
 * bucket's own, then {@code overrideDimensions}. The forwarded bucket is a {@link PeriodicData#withDimensions} view,
 * so statistics are not copied; the merged map is built once per bucket (not a per-sample path).
 *
 * <p>Deviation: MAD's close() does not close the inner sink; ours does, so an inner HTTP sink drains on shutdown.
 *
 * <p>Thread ownership: the pipeline's emitter thread.
 */
public final class DimensionInjectingSink implements Sink
{
    private final Sink sink;
    private final Map<String, String> defaults;
    private final Map<String, String> overrides;

    /**
     * @param sink the sink that receives the decorated buckets.
     * @param defaults dimensions added when absent.
     * @param overrides dimensions that replace the bucket's.
     */
    public DimensionInjectingSink(
        final Sink sink, final Map<String, String> defaults, final Map<String, String> overrides)
    {
        this.sink = sink;
        this.defaults = Map.copyOf(defaults);
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Reads {@code defaultDimensions} ({}), {@code overrideDimensions} ({}) and {@code sink} (required).
     */
    public static DimensionInjectingSink create(final Settings settings, final EmitContext context)
    {
        final Map<String, String> defaults = settings.stringMap("defaultDimensions");
        final Map<String, String> overrides = settings.stringMap("overrideDimensions");
        return new DimensionInjectingSink(context.createSink(settings.child("sink")), defaults, overrides);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        if (defaults.isEmpty() && overrides.isEmpty())
        {
            sink.recordAggregateData(data);
            return;
        }
        final Map<String, String> own = data.dimensions();
        final Map<String, String> merged = new LinkedHashMap<>(own.size() + defaults.size() + overrides.size() + 1);
        merged.putAll(defaults);
        merged.putAll(own);
        merged.putAll(overrides);
        sink.recordAggregateData(data.withDimensions(merged));
    }

    @Override
    public void close()
    {
        sink.close();
    }

    @Override
    public String toString()
    {
        return "DimensionInjectingSink{" + sink + "}";
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        sink.visitCounters(visitor);
    }
}
