package mad.emit.http;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.cagg.CaggEncoder;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code AggregationServerHttpSink} (mad-spec 7.2): one POST per metric of each bucket, body = framed
 * {@code StatisticSetRecord} ({@link CaggEncoder}), {@code Content-Type: application/protobuf}; queueing and sending
 * as {@link HttpPostSink}.
 *
 * <p>Deviations from MAD 1.20.1 (both crash MAD's sink actor, which then loses its whole queue):
 * <ul>
 *   <li>a bucket without a {@code service} or {@code cluster} dimension is rejected alone, counted
 *       ({@link #rejectedMissingDimensions()}) and logged (rate-limited) with the sink name and the dimensions;</li>
 *   <li>the same metric name with two types in one bucket is posted as two records.</li>
 * </ul>
 * Optional key (ours): {@code histogramPrecision} (0 = omit the field, as 1.20.1; MAD HEAD writes 8).
 *
 * <p>Thread ownership: {@link #recordAggregateData} on the emitter thread (owns the encoder); see
 * {@link HttpPostSink} for the I/O threads.
 */
public final class AggregationServerHttpSink extends HttpPostSink
{
    /** MAD's content type for this sink. */
    public static final String CONTENT_TYPE = "application/protobuf";
    private static final Logger LOGGER = LoggerFactory.getLogger(AggregationServerHttpSink.class);

    private final CaggEncoder encoder;
    private final RateLimitedLog rejectLog;
    private final AtomicLong rejectedMissingDimensions = new AtomicLong();
    private final AtomicLong encodeFailures = new AtomicLong();

    private AggregationServerHttpSink(final Settings settings, final EmitContext context)
    {
        super(settings, context, CONTENT_TYPE);
        final int precision = settings.integer("histogramPrecision", 0);
        if (precision < 0)
        {
            throw settings.error("histogramPrecision", "must be >= 0");
        }
        this.encoder = new CaggEncoder(precision);
        this.rejectLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
    }

    /**
     * Reads the {@link HttpPostSink} keys and {@code histogramPrecision}.
     */
    public static AggregationServerHttpSink create(final Settings settings, final EmitContext context)
    {
        return new AggregationServerHttpSink(settings, context);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        final int metrics = data.metricCount();
        if (metrics == 0)
        {
            return;
        }
        if (!CaggEncoder.hasServiceAndCluster(data))
        {
            rejectedMissingDimensions.incrementAndGet();
            rejectLog.warn("sink '" + name() + "': rejected " + data.period() + " data without 'service' and "
                + "'cluster' dimensions (" + metrics + " metrics), dimensions " + data.dimensions());
            return;
        }
        for (int i = 0; i < metrics; i++)
        {
            final int length;
            try
            {
                length = encoder.encode(data, i);
            }
            catch (final RuntimeException e)
            {
                encodeFailures.incrementAndGet();
                rejectLog.warn("sink '" + name() + "': could not encode metric " + data.metric(i).name() + ": " + e);
                continue;
            }
            enqueue(encoder.buffer(), 0, length);
        }
    }

    /**
     * @return buckets rejected because they lack {@code service} or {@code cluster}.
     */
    public long rejectedMissingDimensions()
    {
        return rejectedMissingDimensions.get();
    }

    /**
     * @return metrics that could not be encoded (a bug if ever non-zero).
     */
    public long encodeFailures()
    {
        return encodeFailures.get();
    }
}
