package mad.engine.aggregate;

import java.time.Duration;

import mad.engine.histogram.TruncatedHistogram;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.stat.Statistic;
import mad.engine.stat.StatisticSet;

/**
 * Turns a closed {@link Bucket} into the {@link PeriodicData} sinks receive: derives mean and percentiles, emits every
 * computed statistic with MAD's {@code user_specified} flag, and copies the histogram in ascending bucket order (also
 * when it is only retained for a sink, without a {@code histogram} statistic).
 * Doing this on the emitter thread keeps percentile sorting off the aggregators.
 *
 * <p>Thread ownership: the emitter thread only; reuses one {@link PeriodicData}.
 */
final class ClosedBucketReader
{
    private final Duration[] periods;
    private final PeriodicData data = new PeriodicData();

    ClosedBucketReader(final Duration[] periods)
    {
        this.periods = periods;
    }

    PeriodicData read(final Bucket bucket)
    {
        data.reset(bucket.dimensionSet.dimensions, periods[bucket.periodIndex], bucket.startMs,
            bucket.minRequestTimeMs);
        final int[] members = bucket.members;
        for (int i = 0, n = bucket.size; i < n; i++)
        {
            fill(data.addMetric(), bucket, members[i]);
        }
        return data;
    }

    static void fill(final AggregatedMetric metric, final Bucket bucket, final int slot)
    {
        final Series series = bucket.series[slot];
        final StatisticSet statistics = series.statistics;
        final byte unitCode = bucket.unit[slot];
        final Unit unit = unitCode == Bucket.NO_UNIT ? Unit.NONE : Unit.ofCode(unitCode);
        final TruncatedHistogram histogram = bucket.histograms[slot];
        final long count = bucket.count[slot];
        final double sum = bucket.sum[slot];
        metric.reset(series.name, series.type());
        final int mask = statistics.computedMask();
        for (int ordinal = 0; ordinal < Statistic.count(); ordinal++)
        {
            if ((mask & (1 << ordinal)) == 0)
            {
                continue;
            }
            final Statistic statistic = Statistic.ofOrdinal(ordinal);
            final boolean specified = statistics.specifies(statistic);
            switch (statistic)
            {
                case COUNT:
                    metric.add(statistic, count, Unit.NONE, specified);
                    break;
                case SUM:
                    metric.add(statistic, sum, unit, specified);
                    break;
                case MIN:
                    metric.add(statistic, bucket.min[slot], unit, specified);
                    break;
                case MAX:
                    metric.add(statistic, bucket.max[slot], unit, specified);
                    break;
                case MEAN:
                    metric.add(statistic, sum / count, unit, specified);
                    break;
                case HISTOGRAM:
                    metric.add(statistic, 1.0, Unit.NONE, specified);
                    metric.histogram(histogram.bucketCount(), unit);
                    histogram.copySorted(metric.bucketArray(), metric.bucketCountArray());
                    break;
                default:
                    metric.add(statistic, histogram.percentile(statistic.quantile()), unit, specified);
                    break;
            }
        }
        if (histogram != null && !statistics.computes(Statistic.HISTOGRAM))
        {
            // Retained for a sink (StatisticSet.retainingHistogram): supporting data only, no extra statistic.
            metric.histogram(histogram.bucketCount(), unit);
            histogram.copySorted(metric.bucketArray(), metric.bucketCountArray());
        }
        metric.populationSize(statistics.computes(Statistic.HISTOGRAM) ? histogram.totalCount() : count);
    }
}
