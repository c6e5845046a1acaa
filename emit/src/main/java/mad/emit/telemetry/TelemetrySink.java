package mad.emit.telemetry;

import mad.emit.EmitContext;
import mad.emit.Sink;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code TelemetrySink} (mad-spec 7.10): hands every bucket to the process-wide {@link TelemetryHub}
 * ({@link EmitContext#telemetry()}). {@code telemetryActorPath} is accepted and ignored (there is one hub).
 * close() is a no-op, as MAD's.
 *
 * <p>Thread ownership: called on the emitter thread; the hub reads the bucket during the call and only queues text
 * on the connections, so the emitter never waits for a WebSocket client.
 */
public final class TelemetrySink implements Sink
{
    private final String name;
    private final TelemetryHub hub;

    private TelemetrySink(final String name, final TelemetryHub hub)
    {
        this.name = name;
        this.hub = hub;
    }

    /**
     * @param settings the sink object ({@code name}; {@code telemetryActorPath} ignored).
     * @param context the pipeline's emit context, whose hub receives the data.
     * @return the sink.
     */
    public static TelemetrySink create(final Settings settings, final EmitContext context)
    {
        return new TelemetrySink(settings.string("name"), context.telemetry());
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        if (data.metricCount() > 0)
        {
            hub.record(data);
        }
    }

    @Override
    public void close()
    {
    }

    public String name()
    {
        return name;
    }
}
