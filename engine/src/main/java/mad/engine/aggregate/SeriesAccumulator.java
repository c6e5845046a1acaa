package mad.engine.aggregate;

import java.util.ArrayDeque;

import mad.engine.histogram.TruncatedHistogram;

/**
 * The running state of one series in one bucket: MAD's accumulating calculators (count, sum, min, max, histogram);
 * mean and percentiles are derived when the bucket closes.
 *
 * <p>Semantics kept bit-for-bit from MAD: values are applied in arrival order; the first value of min/max/sum is taken
 * as is (so a leading NaN sticks and -0.0 survives); min/max use strict comparisons; samples count 1 each and client
 * statistics add their count. Pooled: the owning aggregator reuses instances after the emitter returns them.
 *
 * <p>Thread ownership: written by the owning aggregator until its bucket closes, then read by the emitter only.
 */
final class SeriesAccumulator
{
    static final byte NO_UNIT = -1;

    Series series;
    Bucket bucket;
    /** The next accumulator of the same series and period in another open bucket (see {@link Series#current}). */
    SeriesAccumulator nextOfSeries;
    long count;
    double sum;
    boolean hasSum;
    double min;
    double max;
    boolean hasMinMax;
    byte unit = NO_UNIT;
    TruncatedHistogram histogram;
    boolean useHistogram;

    /**
     * @param owner the series.
     * @param target the open bucket.
     * @param histogramPool where a histogram is taken from when the series' statistics need one.
     */
    void reset(final Series owner, final Bucket target, final ArrayDeque<TruncatedHistogram> histogramPool)
    {
        series = owner;
        bucket = target;
        nextOfSeries = null;
        count = 0;
        sum = 0;
        hasSum = false;
        min = 0;
        max = 0;
        hasMinMax = false;
        unit = NO_UNIT;
        useHistogram = owner.statistics.needsHistogram();
        if (useHistogram)
        {
            // Histograms are pooled apart from accumulators so that they stay with histogram series (timers by
            // default) instead of spreading over every recycled accumulator.
            histogram = histogramPool.isEmpty() ? new TruncatedHistogram() : histogramPool.pop();
        }
    }

    /**
     * Gives the histogram back (cleared) and drops references to the series and bucket.
     *
     * @param histogramPool receives the histogram, if any.
     */
    void release(final ArrayDeque<TruncatedHistogram> histogramPool)
    {
        if (histogram != null)
        {
            histogram.clear();
            histogramPool.push(histogram);
            histogram = null;
        }
        series = null;
        bucket = null;
        nextOfSeries = null;
    }

    void addSample(final double value)
    {
        count++;
        addSum(value);
        addMinMax(value, value);
        if (useHistogram)
        {
            histogram.record(value);
        }
    }

    void addSum(final double value)
    {
        if (hasSum)
        {
            sum += value;
        }
        else
        {
            sum = value;
            hasSum = true;
        }
    }

    void addMinMax(final double low, final double high)
    {
        if (!hasMinMax)
        {
            min = low;
            max = high;
            hasMinMax = true;
            return;
        }
        if (low < min)
        {
            min = low;
        }
        if (high > max)
        {
            max = high;
        }
    }
}
