package mad.emit;

import mad.emit.file.JsonLinesFileSink;
import mad.emit.http.AggregationServerHttpSink;
import mad.emit.sinks.DimensionInjectingSink;
import mad.emit.sinks.MultiSink;
import mad.emit.sinks.PeriodFilteringSink;
import mad.emit.sinks.PeriodicStatisticsSink;
import mad.emit.sinks.TimeThresholdSink;
import mad.emit.sinks.TracingSink;
import mad.emit.tcp.AggregationServerSink;
import mad.emit.telemetry.TelemetrySink;
import mad.engine.config.Settings;

/**
 * The sink registry: MAD's {@code type=} class name of each supported sink and the factory that builds ours from its
 * settings. Adding a sink = its class + one line here.
 *
 * <p>Thread ownership: immutable; used on the configuration thread.
 */
public enum SinkType
{
    MULTI("com.arpnetworking.tsdcore.sinks.MultiSink", MultiSink::create),
    PERIOD_FILTERING("com.arpnetworking.tsdcore.sinks.PeriodFilteringSink", PeriodFilteringSink::create),
    AGGREGATION_SERVER_HTTP("com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink",
        AggregationServerHttpSink::create),
    DIMENSION_INJECTING("com.arpnetworking.tsdcore.sinks.DimensionInjectingSink", DimensionInjectingSink::create),
    PERIODIC_STATISTICS("com.arpnetworking.tsdcore.sinks.PeriodicStatisticsSink", PeriodicStatisticsSink::create),
    TIME_THRESHOLD("com.arpnetworking.tsdcore.sinks.TimeThresholdSink", TimeThresholdSink::create),
    AGGREGATION_SERVER("com.arpnetworking.tsdcore.sinks.AggregationServerSink", AggregationServerSink::create),
    TRACING("com.arpnetworking.tsdcore.sinks.TracingSink", TracingSink::create),
    TELEMETRY("com.arpnetworking.tsdcore.sinks.TelemetrySink", TelemetrySink::create),
    JSON_LINES_FILE("madx.sinks.JsonLinesFileSink", JsonLinesFileSink::create);

    /** MAD sinks we know but do not implement: named in the error so the operator knows it is not a typo. */
    private static final String[] KNOWN_UNSUPPORTED = {
        "com.arpnetworking.metrics.mad.experimental.sinks.MetricSeriesLoggingSink",
    };
    private static final SinkType[] VALUES = values();

    private final String className;
    private final Factory factory;

    SinkType(final String className, final Factory factory)
    {
        this.className = className;
        this.factory = factory;
    }

    /**
     * @return MAD's class name for this sink.
     */
    public String className()
    {
        return className;
    }

    /**
     * @param className a {@code type} value.
     * @return the registered sink type, or null.
     */
    public static SinkType byClassName(final String className)
    {
        for (final SinkType type : VALUES)
        {
            if (type.className.equals(className))
            {
                return type;
            }
        }
        return null;
    }

    /**
     * Builds the sink a configuration object describes: checks the common keys ({@code type}, {@code name}) and
     * hands the object to the sink's own factory.
     *
     * @param settings the sink object.
     * @param context the pipeline's emit context.
     * @return the sink.
     * @throws mad.engine.config.ConfigException when the type is unknown or a key is invalid.
     */
    public static Sink create(final Settings settings, final EmitContext context)
    {
        if (!settings.has("type"))
        {
            throw settings.error("type", "missing sink type");
        }
        final String className = settings.string("type");
        final SinkType type = byClassName(className);
        if (type == null)
        {
            for (final String known : KNOWN_UNSUPPORTED)
            {
                if (known.equals(className))
                {
                    throw settings.error("type", "sink type '" + className + "' is not supported by madx");
                }
            }
            throw settings.error("type", "unknown sink type '" + className + "'; supported: " + supportedNames());
        }
        if (settings.string("name", "").isEmpty())
        {
            throw settings.error("name", "sink name is required and must not be empty");
        }
        return type.factory.create(settings, context);
    }

    private static String supportedNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final SinkType type : VALUES)
        {
            names.append(names.length() == 0 ? "" : ", ").append(type.className);
        }
        return names.toString();
    }

    /**
     * A sink's static factory.
     */
    @FunctionalInterface
    public interface Factory
    {
        /**
         * @param settings the sink object.
         * @param context the pipeline's emit context.
         * @return the sink.
         */
        Sink create(Settings settings, EmitContext context);
    }
}
