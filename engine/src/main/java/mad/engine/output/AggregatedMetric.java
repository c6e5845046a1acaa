package mad.engine.output;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.stat.Statistic;

/**
 * The statistics of one metric name (of one type) in one closed bucket: MAD's list of {@code AggregatedData} for that
 * name. Statistics come in {@link Statistic} order; {@link #specified(int)} is MAD's {@code user_specified}.
 *
 * <p>Thread ownership: filled by the emitter thread and only valid during the sink call that receives it; sinks that
 * keep data copy what they need. Instances are reused, so arrays are sized to their high-water mark.
 */
public final class AggregatedMetric
{
    /** MAD's default timer statistics (median, tp90, tp99, mean, count) fit without growing. */
    private static final int INITIAL_STATISTICS = 5;
    private static final double[] NO_BUCKETS = new double[0];
    private static final long[] NO_BUCKET_COUNTS = new long[0];
    /** {@code meta} entry: statistic ordinal in bits 0-7, unit ordinal in bits 8-15, user_specified in bit 16. */
    private static final int META_UNIT_SHIFT = 8;
    private static final int META_BYTE = 0xFF;
    private static final int META_SPECIFIED = 1 << 16;
    /** Unit code of a statistic added without a unit ({@code null}, which the encoders write as no unit). */
    private static final int NO_UNIT = META_BYTE;

    private String name;
    private MetricType type;
    private int statisticCount;
    // Sized to the high-water mark, starting small: the emitter keeps one instance per series of its largest
    // dimension set (100 k at statsd-100k), so full-size arrays here cost more than the aggregation state itself.
    // Statistic, unit and flag share one int per entry (see META_*): one array instead of three, ~70 B less each.
    private int[] meta = new int[INITIAL_STATISTICS];
    private double[] values = new double[INITIAL_STATISTICS];
    private long populationSize;
    private Unit histogramUnit = Unit.NONE;
    private int bucketCount;
    private double[] buckets = NO_BUCKETS;
    private long[] bucketCounts = NO_BUCKET_COUNTS;

    /**
     * Empties the metric for reuse.
     *
     * @param metricName the metric name.
     * @param metricType its type.
     */
    public void reset(final String metricName, final MetricType metricType)
    {
        // Why compare first: this object is old and reused for the same series period after period; storing the same
        // reference again would still dirty its card (G1's barrier does not compare values), ~11 k cards per 100 k
        // series closed, which the next young pause has to scan.
        if (name != metricName)
        {
            name = metricName;
        }
        if (type != metricType)
        {
            type = metricType;
        }
        statisticCount = 0;
        populationSize = 0;
        if (histogramUnit != Unit.NONE)
        {
            histogramUnit = Unit.NONE;
        }
        bucketCount = 0;
    }

    /**
     * Appends a statistic value.
     */
    public void add(final Statistic statistic, final double value, final Unit unit, final boolean isSpecified)
    {
        if (statisticCount == values.length)
        {
            grow();
        }
        meta[statisticCount] = statistic.ordinal() | (unit == null ? NO_UNIT : unit.ordinal()) << META_UNIT_SHIFT
            | (isSpecified ? META_SPECIFIED : 0);
        values[statisticCount] = value;
        statisticCount++;
    }

    /**
     * Makes room for the histogram supporting data and returns the bucket array to fill.
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
        bucketCount = size;
        if (histogramUnit != unit)
        {
            histogramUnit = unit;
        }
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
        populationSize = size;
    }

    public String name()
    {
        return name;
    }

    public MetricType type()
    {
        return type;
    }

    public int statisticCount()
    {
        return statisticCount;
    }

    public Statistic statistic(final int index)
    {
        return Statistic.ofOrdinal(meta[index] & META_BYTE);
    }

    public double value(final int index)
    {
        return values[index];
    }

    public Unit unit(final int index)
    {
        final int code = meta[index] >>> META_UNIT_SHIFT & META_BYTE;
        return code == NO_UNIT ? null : Unit.ofCode(code);
    }

    public boolean specified(final int index)
    {
        return (meta[index] & META_SPECIFIED) != 0;
    }

    /**
     * @return MAD's population size: the histogram's entry count when there is a histogram, else the count.
     */
    public long populationSize()
    {
        return populationSize;
    }

    public Unit histogramUnit()
    {
        return histogramUnit;
    }

    /**
     * @return the number of histogram buckets: 0 when the series kept no histogram. A histogram may be present
     *         without a {@code histogram} statistic when a sink asked the engine to retain it.
     */
    public int bucketCount()
    {
        return bucketCount;
    }

    public double bucket(final int index)
    {
        return buckets[index];
    }

    public long bucketCountAt(final int index)
    {
        return bucketCounts[index];
    }

    /**
     * @param statistic a statistic.
     * @return its index, or -1 when absent.
     */
    public int indexOf(final Statistic statistic)
    {
        for (int i = 0; i < statisticCount; i++)
        {
            if ((meta[i] & META_BYTE) == statistic.ordinal())
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(name).append('(').append(type).append("){");
        for (int i = 0; i < statisticCount; i++)
        {
            text.append(i == 0 ? "" : ", ").append(statistic(i).wireName()).append(specified(i) ? "" : "*")
                .append('=').append(values[i]).append(unit(i) == Unit.NONE ? "" : " " + unit(i));
        }
        return text.append('}').toString();
    }

    private void grow()
    {
        final int capacity = Math.min(Statistic.count(), values.length * 2);
        meta = java.util.Arrays.copyOf(meta, capacity);
        values = java.util.Arrays.copyOf(values, capacity);
    }
}
