package mad.emit.http;

import java.util.Arrays;
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
 * Optional keys (ours, defaults = MAD 1.20.1):
 * <ul>
 *   <li>{@code histogramPrecision} (0): 0 omits the field (1.20.1), 8 is what MAD HEAD writes; CAGG reads
 *       {@code precision - 1} and accepts only 7 bits, so any other value is refused here rather than answered 500
 *       by every CAGG.</li>
 *   <li>{@code maximumRecordsPerRequest} (1): concatenates up to N framed records of one bucket into one body (CAGG's
 *       {@code HttpSourceActor} reads messages until the body is exhausted). Bodies never span buckets, so nothing
 *       waits for a later bucket. {@code maximumQueueSize} then bounds bodies, not records.</li>
 *   <li>{@code attachHistogram} (false): every record carries a {@code histogram} statistic (value 1,
 *       {@code user_specified=false}, sparse-histogram supporting data); the factory asks the engine to retain
 *       the histogram of every series ({@link EmitContext#requireHistograms()}). Current CAGG derives the
 *       population size from it and answers 500 to records with {@code count} but no {@code histogram}, which is
 *       every counter and gauge MAD 1.20.1 sends.</li>
 * </ul>
 *
 * <p>Thread ownership: {@link #recordAggregateData} on the emitter thread (owns the encoder and the batch array); see
 * {@link HttpPostSink} for the I/O threads.
 */
public final class AggregationServerHttpSink extends HttpPostSink
{
    /** MAD's content type for this sink. */
    public static final String CONTENT_TYPE = "application/protobuf";
    private static final Logger LOGGER = LoggerFactory.getLogger(AggregationServerHttpSink.class);

    private final CaggEncoder encoder;
    private final int maximumRecordsPerRequest;
    private byte[] batch = new byte[0];
    private final RateLimitedLog rejectLog;
    private final AtomicLong rejectedMissingDimensions = new AtomicLong();
    private final AtomicLong encodeFailures = new AtomicLong();

    private AggregationServerHttpSink(final Settings settings, final EmitContext context)
    {
        super(settings, context, CONTENT_TYPE);
        final int precision = settings.integer("histogramPrecision", 0);
        if (precision != 0 && precision != 8)
        {
            throw settings.error("histogramPrecision", "must be 0 (omitted, MAD 1.20.1) or 8 (MAD HEAD), got "
                + precision + ": CAGG reads precision - 1 and supports only 7 bits");
        }
        this.maximumRecordsPerRequest = settings.integer("maximumRecordsPerRequest", 1);
        if (maximumRecordsPerRequest < 1)
        {
            throw settings.error("maximumRecordsPerRequest", "must be >= 1, got " + maximumRecordsPerRequest);
        }
        final boolean attachHistogram = settings.bool("attachHistogram", false);
        if (attachHistogram)
        {
            context.requireHistograms();
        }
        this.encoder = new CaggEncoder(precision, attachHistogram);
        this.rejectLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
    }

    /**
     * Reads the {@link HttpPostSink} keys, {@code histogramPrecision}, {@code maximumRecordsPerRequest} and
     * {@code attachHistogram}.
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
        int batched = 0;
        int batchLength = 0;
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
            if (maximumRecordsPerRequest == 1)
            {
                enqueue(encoder.buffer(), 0, length);
                continue;
            }
            if (batch.length < batchLength + length)
            {
                batch = Arrays.copyOf(batch, Math.max(batchLength + length, batch.length * 2));
            }
            System.arraycopy(encoder.buffer(), 0, batch, batchLength, length);
            batchLength += length;
            if (++batched == maximumRecordsPerRequest)
            {
                enqueue(batch, 0, batchLength);
                batched = 0;
                batchLength = 0;
            }
        }
        if (batched > 0)
        {
            enqueue(batch, 0, batchLength);
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
