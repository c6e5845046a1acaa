package mad.engine.output;

import java.util.Arrays;

import mad.engine.model.MetricType;

/**
 * The storage behind one {@link PeriodicData} and its {@link AggregatedMetric} cursors: one primitive column per
 * metric field (indexed by metric) and the statistics of all metrics appended in two flat arrays (metric {@code i}
 * owns entries {@code statEnd[i - 1]} to {@code statEnd[i]}). Every array grows to the high-water mark of the
 * largest bucket and is reused for the next one.
 *
 * <p>Why columns: the emitter used to keep one {@code AggregatedMetric} object (with its own statistic and value
 * arrays) per series of its largest bucket alive between periods, only for reuse: ~190 B per series at 100 k series,
 * as much as a series' identity. Here a metric costs its column entries (~21 B) plus ~10 B per statistic, and the
 * cursor object (32 B, never written after construction). The only reference column, {@link #names}, is stored only
 * when it changes: re-storing the same reference into this old array would dirty its card every period (G1's
 * barrier does not compare values), which the next young pause then scans.
 *
 * <p>Thread ownership: the emitter thread (as {@link PeriodicData}).
 */
final class MetricColumns
{
    /** {@code meta} entry: statistic ordinal in bits 0-3, unit code in bits 4-9 ({@link #NO_UNIT}: null), bit 10. */
    static final int META_UNIT_SHIFT = 4;
    static final int META_STATISTIC = 0xF;
    static final int META_UNIT = 0x3F;
    static final int META_SPECIFIED = 1 << 10;
    /** Unit code of a statistic added without a unit ({@code null}, which the encoders write as no unit). */
    static final int NO_UNIT = META_UNIT;
    private static final MetricType[] TYPES = MetricType.values();
    private static final int INITIAL_METRICS = 8;
    /** MAD's default timer statistics (median, tp90, tp99, mean, count) of a few metrics fit without growing. */
    private static final int INITIAL_STATISTICS = 40;

    int metricCount;
    String[] names = new String[INITIAL_METRICS];
    byte[] types = new byte[INITIAL_METRICS];
    /** End (exclusive) of metric {@code i}'s statistics in {@link #meta} / {@link #values}. */
    int[] statEnd = new int[INITIAL_METRICS];
    long[] populationSizes = new long[INITIAL_METRICS];
    AggregatedMetric[] cursors = new AggregatedMetric[INITIAL_METRICS];
    short[] meta = new short[INITIAL_STATISTICS];
    double[] values = new double[INITIAL_STATISTICS];

    /**
     * Appends a cleared metric and returns its cursor.
     */
    AggregatedMetric append()
    {
        final int index = metricCount;
        if (index == names.length)
        {
            growMetrics();
        }
        AggregatedMetric cursor = cursors[index];
        if (cursor == null)
        {
            cursor = new AggregatedMetric(this, index);
            cursors[index] = cursor;
        }
        metricCount = index + 1;
        clear(index);
        return cursor;
    }

    void clear(final int index)
    {
        statEnd[index] = statStart(index);
        populationSizes[index] = 0;
        cursors[index].clearHistogram();
    }

    void name(final int index, final String name)
    {
        if (names[index] != name)
        {
            names[index] = name;
        }
    }

    MetricType type(final int index)
    {
        return TYPES[types[index]];
    }

    int statStart(final int index)
    {
        return index == 0 ? 0 : statEnd[index - 1];
    }

    /**
     * Appends one statistic to metric {@code index}, which must be the last one (statistics are stored in order).
     */
    void addStatistic(final int index, final int metaEntry, final double value)
    {
        if (index != metricCount - 1)
        {
            throw new IllegalStateException("statistics can only be added to the last metric of the bucket");
        }
        final int at = statEnd[index];
        if (at == values.length)
        {
            final int capacity = at + (at >> 1) + 1;
            meta = Arrays.copyOf(meta, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        meta[at] = (short) metaEntry;
        values[at] = value;
        statEnd[index] = at + 1;
    }

    private void growMetrics()
    {
        final int capacity = names.length + (names.length >> 1) + 1;
        names = Arrays.copyOf(names, capacity);
        types = Arrays.copyOf(types, capacity);
        statEnd = Arrays.copyOf(statEnd, capacity);
        populationSizes = Arrays.copyOf(populationSizes, capacity);
        cursors = Arrays.copyOf(cursors, capacity);
    }
}
