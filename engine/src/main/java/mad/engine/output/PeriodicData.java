package mad.engine.output;

import java.time.Duration;
import java.util.Map;

import mad.engine.sample.SampleEvent;

/**
 * One closed bucket as MAD hands it to its sinks: the dimension set, the period and its start, the minimum client
 * request time, and the statistics of every metric name that had data.
 *
 * <p>Thread ownership: built by the emitter thread and valid only during the sink call; the instance and its
 * {@link AggregatedMetric}s are reused for the next bucket. A sink that queues data must copy it (or encode it)
 * before returning. {@link #withDimensions(Map)} gives a cheap view with other dimensions for decorating sinks.
 *
 * <p>The metrics are stored column-wise ({@link MetricColumns}): the reuse between periods costs ~60-90 B per metric
 * of the largest bucket (the cursor and its column entries), not one full object graph per metric.
 */
public final class PeriodicData
{
    private Map<String, String> dimensions;
    private Duration period;
    private long startMs;
    private long minRequestTimeMs = SampleEvent.NO_REQUEST_TIME;
    private final MetricColumns metrics;

    /**
     * Creates an empty, reusable instance.
     */
    public PeriodicData()
    {
        metrics = new MetricColumns();
    }

    private PeriodicData(final PeriodicData source, final Map<String, String> dimensions)
    {
        this.dimensions = dimensions;
        this.period = source.period;
        this.startMs = source.startMs;
        this.minRequestTimeMs = source.minRequestTimeMs;
        this.metrics = source.metrics;
    }

    /**
     * Starts filling this instance for a new bucket.
     */
    public void reset(
        final Map<String, String> bucketDimensions, final Duration bucketPeriod, final long bucketStartMs,
        final long bucketMinRequestTimeMs)
    {
        dimensions = bucketDimensions;
        period = bucketPeriod;
        startMs = bucketStartMs;
        minRequestTimeMs = bucketMinRequestTimeMs;
        metrics.metricCount = 0;
    }

    /**
     * @return a cleared metric slot appended to this bucket.
     */
    public AggregatedMetric addMetric()
    {
        return metrics.append();
    }

    /**
     * @param otherDimensions the dimensions the view reports.
     * @return a view of the same statistics with other dimensions (valid as long as this instance is).
     */
    public PeriodicData withDimensions(final Map<String, String> otherDimensions)
    {
        return new PeriodicData(this, otherDimensions);
    }

    public Map<String, String> dimensions()
    {
        return dimensions;
    }

    public Duration period()
    {
        return period;
    }

    public long startMs()
    {
        return startMs;
    }

    /**
     * @return the earliest client request time of the bucket's records, or {@link SampleEvent#NO_REQUEST_TIME}.
     */
    public long minRequestTimeMs()
    {
        return minRequestTimeMs;
    }

    public boolean hasMinRequestTime()
    {
        return minRequestTimeMs != SampleEvent.NO_REQUEST_TIME;
    }

    public int metricCount()
    {
        return metrics.metricCount;
    }

    public AggregatedMetric metric(final int index)
    {
        if (index >= metrics.metricCount)
        {
            throw new IndexOutOfBoundsException("metric " + index + " of " + metrics.metricCount);
        }
        return metrics.cursors[index];
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("PeriodicData{").append(period).append('@').append(startMs)
            .append(' ').append(dimensions);
        for (int i = 0; i < metrics.metricCount; i++)
        {
            text.append(' ').append(metrics.cursors[i]);
        }
        return text.append('}').toString();
    }
}
