package mad.engine.aggregate;

import java.util.ArrayDeque;
import java.util.Arrays;

import mad.engine.histogram.TruncatedHistogram;
import mad.engine.sample.SampleEvent;

/**
 * One open aggregation bucket: MAD's (dimension set, period, period start) with every series of that dimension set
 * that had data in it, the expiry that decides when it closes, and the minimum client request time of its records.
 *
 * <p>The running state of each series in the bucket (MAD's accumulating calculators: count, sum, min, max,
 * histogram; mean and percentiles are derived when the bucket closes) lives in a <em>slot</em>: one index into
 * parallel primitive arrays (a struct of arrays), not one object per series. The slot of a series is its
 * {@link Series#local} index, the same in every bucket of its dimension set, so a series finds its state without a
 * per-bucket map (a map sized for 100 k series cost ~100 bytes per series per open bucket) and without a table of its
 * own; {@link #members} lists the slots in use, in arrival order, for the emitter and for clearing. Why: with an object per series per
 * bucket, every period boundary allocated ~one object per active series and stored it into old objects, so G1's
 * young pauses spent 15–18 ms scanning ~54 000 dirty cards; a pooled bucket reuses its arrays, so a new bucket costs
 * no per-series object and the only references written are the slot's {@link Series} (old) and, for histogram series,
 * a pooled histogram. Arrays grow by half when full and are kept when the bucket is pooled.
 *
 * <p>Semantics kept bit-for-bit from MAD: values are applied in arrival order; the first value of min/max/sum is taken
 * as is (so a leading NaN sticks and -0.0 survives); min/max use strict comparisons; samples count 1 each and client
 * statistics add their count.
 *
 * <p>Thread ownership: written by the owning aggregator while open; once closed it is handed whole to the emitter
 * through a single-producer queue (which publishes it safely) and comes back through the return queue to be reused.
 * {@link #generation} changes on every reuse.
 */
final class Bucket
{
    static final byte NO_UNIT = -1;
    static final byte HAS_SUM = 1;
    static final byte HAS_MIN_MAX = 2;
    /** The slot belongs to a series with data in this bucket (cleared on release). */
    static final byte PRESENT = 4;
    private static final int INITIAL_CAPACITY = 8;

    final int shard;
    DimensionSet dimensionSet;
    int periodIndex;
    long startMs;
    long expiryMs;
    long minRequestTimeMs = SampleEvent.NO_REQUEST_TIME;
    long generation;
    int heapIndex = -1;
    /** Slots in use, in the order their series first had data here: {@code members[0 .. size)}. */
    int[] members = new int[INITIAL_CAPACITY];
    int size;
    /** Per slot (indexed by {@link Series#local}), valid where {@link #flags} has {@link #PRESENT}. */
    Series[] series = new Series[INITIAL_CAPACITY];
    long[] count = new long[INITIAL_CAPACITY];
    double[] sum = new double[INITIAL_CAPACITY];
    double[] min = new double[INITIAL_CAPACITY];
    double[] max = new double[INITIAL_CAPACITY];
    /** {@link mad.engine.model.Unit} ordinal of the slot's first sample, or {@link #NO_UNIT}. */
    byte[] unit = new byte[INITIAL_CAPACITY];
    /** {@link #PRESENT}, {@link #HAS_SUM}, {@link #HAS_MIN_MAX}. */
    byte[] flags = new byte[INITIAL_CAPACITY];
    /** Only for slots whose series' statistics need a histogram; null otherwise. */
    TruncatedHistogram[] histograms = new TruncatedHistogram[INITIAL_CAPACITY];

    Bucket(final int shard)
    {
        this.shard = shard;
    }

    void reset(final DimensionSet owner, final int period, final long start, final long expiry)
    {
        dimensionSet = owner;
        periodIndex = period;
        startMs = start;
        expiryMs = expiry;
        minRequestTimeMs = SampleEvent.NO_REQUEST_TIME;
        generation++;
        heapIndex = -1;
    }

    int capacity()
    {
        return count.length;
    }

    /**
     * Makes room for at least {@code wanted} slots (the dimension set's local index count, so a pooled bucket that is
     * too small grows once instead of step by step).
     */
    void ensureCapacity(final int wanted)
    {
        if (wanted > count.length)
        {
            grow(wanted);
        }
    }

    /** @return whether the series of local index {@code slot} has data in this bucket. */
    boolean holds(final int slot)
    {
        return slot < flags.length && (flags[slot] & PRESENT) != 0;
    }

    /**
     * The slot of {@code owner}, opened (cleared) if the series has no data here yet.
     *
     * @param histogramPool where a histogram is taken from when the series' statistics need one.
     * @return the slot ({@link Series#local}).
     */
    int slotOf(final Series owner, final ArrayDeque<TruncatedHistogram> histogramPool)
    {
        final int slot = owner.local();
        if (slot < flags.length && (flags[slot] & PRESENT) != 0)
        {
            return slot;
        }
        if (slot >= count.length)
        {
            grow(Math.max(slot + 1, count.length + (count.length >> 1) + 1));
        }
        if (size == members.length)
        {
            members = Arrays.copyOf(members, size + (size >> 1) + 1);
        }
        members[size++] = slot;
        series[slot] = owner;
        count[slot] = 0;
        sum[slot] = 0;
        min[slot] = 0;
        max[slot] = 0;
        unit[slot] = NO_UNIT;
        flags[slot] = PRESENT;
        if (owner.statistics.needsHistogram())
        {
            // Histograms are pooled apart from buckets so that they stay with histogram series (timers by default).
            histograms[slot] = histogramPool.isEmpty() ? new TruncatedHistogram() : histogramPool.pop();
        }
        return slot;
    }

    /**
     * Empties the bucket for reuse: histograms go back (cleared), series references are dropped, arrays are kept.
     *
     * @param histogramPool receives the histograms.
     */
    void release(final ArrayDeque<TruncatedHistogram> histogramPool)
    {
        for (int i = 0; i < size; i++)
        {
            final int slot = members[i];
            final TruncatedHistogram histogram = histograms[slot];
            if (histogram != null)
            {
                histogram.clear();
                histogramPool.push(histogram);
                histograms[slot] = null;
            }
            series[slot] = null;
            flags[slot] = 0;
        }
        size = 0;
        dimensionSet = null;
    }

    void addSample(final int slot, final double value)
    {
        count[slot]++;
        addSum(slot, value);
        addMinMax(slot, value, value);
        final TruncatedHistogram histogram = histograms[slot];
        if (histogram != null)
        {
            histogram.record(value);
        }
    }

    void addSum(final int slot, final double value)
    {
        final byte f = flags[slot];
        if ((f & HAS_SUM) != 0)
        {
            sum[slot] += value;
        }
        else
        {
            sum[slot] = value;
            flags[slot] = (byte)(f | HAS_SUM);
        }
    }

    void addMinMax(final int slot, final double low, final double high)
    {
        final byte f = flags[slot];
        if ((f & HAS_MIN_MAX) == 0)
        {
            min[slot] = low;
            max[slot] = high;
            flags[slot] = (byte)(f | HAS_MIN_MAX);
            return;
        }
        if (low < min[slot])
        {
            min[slot] = low;
        }
        if (high > max[slot])
        {
            max[slot] = high;
        }
    }

    void noteRequestTime(final long requestTimeMs)
    {
        if (requestTimeMs != SampleEvent.NO_REQUEST_TIME &&
            (minRequestTimeMs == SampleEvent.NO_REQUEST_TIME || requestTimeMs < minRequestTimeMs))
        {
            minRequestTimeMs = requestTimeMs;
        }
    }

    private void grow(final int capacity)
    {
        series = Arrays.copyOf(series, capacity);
        count = Arrays.copyOf(count, capacity);
        sum = Arrays.copyOf(sum, capacity);
        min = Arrays.copyOf(min, capacity);
        max = Arrays.copyOf(max, capacity);
        unit = Arrays.copyOf(unit, capacity);
        flags = Arrays.copyOf(flags, capacity);
        histograms = Arrays.copyOf(histograms, capacity);
    }
}
