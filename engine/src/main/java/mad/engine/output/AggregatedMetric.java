package mad.engine.output;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.stat.Statistic;

/**
 * The statistics of one metric name (of one type) in one closed bucket: MAD's list of {@code AggregatedData} for that
 * name. Statistics come in {@link Statistic} order; {@link #specified(int)} is MAD's {@code user_specified}.
 *
 * <p>A flyweight: name, type, statistics and population size live in the columns of the {@link PeriodicData} that
 * made this cursor (see {@link MetricColumns} for why); the cursor is bound to one metric index for good and only
 * keeps the histogram supporting data, which only series with a histogram use. Statistics are appended to the last
 * metric of the bucket ({@link PeriodicData#addMetric()}); adding to an earlier one throws.
 *
 * <p>Thread ownership: filled by the emitter thread and only valid during the sink call that receives it; sinks that
 * keep data copy what they need. Instances are reused, so arrays are sized to their high-water mark.
 */
public final class AggregatedMetric
{
    private static final double[] NO_BUCKETS = new double[0];
    private static final long[] NO_BUCKET_COUNTS = new long[0];
    private static final int HISTOGRAM_UNIT_BITS = 8;
    private static final int HISTOGRAM_UNIT_MASK = (1 << HISTOGRAM_UNIT_BITS) - 1;

    private final MetricColumns columns;
    private final int index;
    private double[] buckets = NO_BUCKETS;
    private long[] bucketCounts = NO_BUCKET_COUNTS;
    /** Bucket count in bits 8-31, histogram unit code in bits 0-7: one int keeps the cursor at 32 bytes. */
    private int histogram;

    /**
     * Creates a stand-alone metric (its own one-metric columns), for tests and tools.
     */
    public AggregatedMetric()
    {
        this.columns = new MetricColumns();
        this.index = 0;
        columns.cursors[0] = this;
        columns.metricCount = 1;
        columns.clear(0);
    }

    AggregatedMetric(final MetricColumns columns, final int index)
    {
        this.columns = columns;
        this.index = index;
    }

    /**
     * Empties the metric for reuse.
     *
     * @param metricName the metric name.
     * @param metricType its type.
     */
    public void reset(final String metricName, final MetricType metricType)
    {
        if (index != columns.metricCount - 1)
        {
            throw new IllegalStateException("only the last metric of a bucket can be reset");
        }
        columns.name(index, metricName);
        columns.types[index] = (byte) metricType.ordinal();
        columns.clear(index);
    }

    /**
     * Appends a statistic value.
     */
    public void add(final Statistic statistic, final double value, final Unit unit, final boolean isSpecified)
    {
        columns.addStatistic(index, statistic.ordinal()
            | (unit == null ? MetricColumns.NO_UNIT : unit.ordinal()) << MetricColumns.META_UNIT_SHIFT
            | (isSpecified ? MetricColumns.META_SPECIFIED : 0), value);
    }

    /**
     * Makes room for the histogram supporting data; fill it through {@link #bucketArray()} and
     * {@link #bucketCountArray()} from index 0.
     *
     * @param size number of buckets.
     * @param unit the histogram's unit.
     */
    public void histogram(final int size, final Unit unit)
    {
        if (buckets.length < size)
        {
            buckets = new double[Math.max(size, buckets.length * 2)];
            bucketCounts = new long[buckets.length];
        }
        histogram = size << HISTOGRAM_UNIT_BITS | unit.ordinal();
    }

    public double[] bucketArray()
    {
        return buckets;
    }

    public long[] bucketCountArray()
    {
        return bucketCounts;
    }

    public void populationSize(final long size)
    {
        columns.populationSizes[index] = size;
    }

    public String name()
    {
        return columns.names[index];
    }

    public MetricType type()
    {
        return columns.type(index);
    }

    public int statisticCount()
    {
        return columns.statEnd[index] - columns.statStart(index);
    }

    public Statistic statistic(final int statisticIndex)
    {
        return Statistic.ofOrdinal(meta(statisticIndex) & MetricColumns.META_STATISTIC);
    }

    public double value(final int statisticIndex)
    {
        return columns.values[columns.statStart(index) + statisticIndex];
    }

    public Unit unit(final int statisticIndex)
    {
        final int code = meta(statisticIndex) >>> MetricColumns.META_UNIT_SHIFT & MetricColumns.META_UNIT;
        return code == MetricColumns.NO_UNIT ? null : Unit.ofCode(code);
    }

    public boolean specified(final int statisticIndex)
    {
        return (meta(statisticIndex) & MetricColumns.META_SPECIFIED) != 0;
    }

    /**
     * @return MAD's population size: the histogram's entry count when there is a histogram, else the count.
     */
    public long populationSize()
    {
        return columns.populationSizes[index];
    }

    public Unit histogramUnit()
    {
        return Unit.ofCode(histogram & HISTOGRAM_UNIT_MASK);
    }

    /**
     * @return the number of histogram buckets: 0 when the series kept no histogram. A histogram may be present
     *         without a {@code histogram} statistic when a sink asked the engine to retain it.
     */
    public int bucketCount()
    {
        return histogram >>> HISTOGRAM_UNIT_BITS;
    }

    public double bucket(final int bucketIndex)
    {
        return buckets[bucketIndex];
    }

    public long bucketCountAt(final int bucketIndex)
    {
        return bucketCounts[bucketIndex];
    }

    /**
     * @param statistic a statistic.
     * @return its index, or -1 when absent.
     */
    public int indexOf(final Statistic statistic)
    {
        final int start = columns.statStart(index);
        final short[] meta = columns.meta;
        for (int i = start, end = columns.statEnd[index]; i < end; i++)
        {
            if ((meta[i] & MetricColumns.META_STATISTIC) == statistic.ordinal())
            {
                return i - start;
            }
        }
        return -1;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(String.valueOf(name())).append('(').append(type()).append("){");
        for (int i = 0, n = statisticCount(); i < n; i++)
        {
            text.append(i == 0 ? "" : ", ").append(statistic(i).wireName()).append(specified(i) ? "" : "*")
                .append('=').append(value(i)).append(unit(i) == Unit.NONE ? "" : " " + unit(i));
        }
        return text.append('}').toString();
    }

    /** Called by {@link MetricColumns#clear}: no histogram until {@link #histogram} is called again. */
    void clearHistogram()
    {
        histogram = Unit.NONE.ordinal();
    }

    private int meta(final int statisticIndex)
    {
        return columns.meta[columns.statStart(index) + statisticIndex];
    }
}
