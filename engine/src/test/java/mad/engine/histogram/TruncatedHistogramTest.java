package mad.engine.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class TruncatedHistogramTest
{
    @Test
    void shouldTruncateTowardZeroLikeMad()
    {
        // Values observed on MAD 1.20.1 (mad-spec.md 6.3).
        assertThat(TruncatedHistogram.bucketOf(0.1)).isEqualTo(0.099609375);
        assertThat(TruncatedHistogram.bucketOf(0.2)).isEqualTo(0.19921875);
        assertThat(TruncatedHistogram.bucketOf(0.3005)).isEqualTo(0.298828125);
        assertThat(TruncatedHistogram.bucketOf(0.7)).isEqualTo(0.69921875);
        assertThat(TruncatedHistogram.bucketOf(-0.7)).isEqualTo(-0.69921875);
        assertThat(TruncatedHistogram.bucketOf(123456789)).isEqualTo(123207680);
        assertThat(TruncatedHistogram.bucketOf(-1234.5)).isEqualTo(-1232.0);
        assertThat(TruncatedHistogram.bucketOf(1.0)).isEqualTo(1.0);
    }

    @Test
    void shouldKeepEdgeValuesInTheirOwnBuckets()
    {
        assertThat(Double.doubleToRawLongBits(TruncatedHistogram.bucketOf(0.0))).isEqualTo(0L);
        assertThat(Double.doubleToRawLongBits(TruncatedHistogram.bucketOf(-0.0))).isEqualTo(Long.MIN_VALUE);
        assertThat(TruncatedHistogram.bucketOf(Double.NaN)).isNaN();
        assertThat(TruncatedHistogram.bucketOf(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(TruncatedHistogram.bucketOf(Double.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
        // Subnormals keep their top 7 mantissa bits: the smallest subnormal collapses to +0.
        assertThat(TruncatedHistogram.bucketOf(Double.MIN_VALUE)).isEqualTo(0.0);
        assertThat(TruncatedHistogram.bucketOf(Double.MIN_NORMAL / 2)).isEqualTo(Double.MIN_NORMAL / 2);
        assertThat(TruncatedHistogram.bucketOf(1e-9)).isLessThanOrEqualTo(1e-9).isGreaterThan(1e-9 * (1 - 1.0 / 128));
        assertThat(TruncatedHistogram.bucketOf(1e12)).isLessThanOrEqualTo(1e12).isGreaterThan(1e12 * (1 - 1.0 / 128));
        assertThat(TruncatedHistogram.bucketOf(-1e12)).isGreaterThanOrEqualTo(-1e12).isLessThan(-1e12 * (1 - 1.0 / 128));
    }

    @Test
    void shouldBeWithinOneStepOfTheValue()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++)
        {
            final double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(value) || Double.isInfinite(value) || Math.abs(value) < Double.MIN_NORMAL)
            {
                continue;
            }
            final double bucket = TruncatedHistogram.bucketOf(value);
            assertThat(Math.abs(bucket)).isLessThanOrEqualTo(Math.abs(value));
            assertThat(Math.abs(value) - Math.abs(bucket)).isLessThan(Math.abs(value) / 128);
            assertThat(TruncatedHistogram.bucketOf(bucket)).isEqualTo(bucket);
        }
    }

    @Test
    void shouldPackAndUnpackClientKeys()
    {
        assertThat(TruncatedHistogram.pack(1.0)).isEqualTo(130944);
        assertThat(TruncatedHistogram.pack(-1.5)).isEqualTo(393152);
        assertThat(TruncatedHistogram.pack(0.1)).isEqualTo(130508);
        assertThat(Double.longBitsToDouble(TruncatedHistogram.unpackToBits(130944))).isEqualTo(1.0);
        assertThat(Double.longBitsToDouble(TruncatedHistogram.unpackToBits(393152))).isEqualTo(-1.5);
        assertThat(Double.longBitsToDouble(TruncatedHistogram.unpackToBits(130508))).isEqualTo(0.099609375);
        // golden V3: buckets 131360 and 131488 are 10 and 20 (mad-ref golden v3.txt)
        assertThat(Double.longBitsToDouble(TruncatedHistogram.unpackToBits(131360))).isEqualTo(10.0);
        assertThat(Double.longBitsToDouble(TruncatedHistogram.unpackToBits(131488))).isEqualTo(20.0);
        for (final double value : new double[] {0.0, 3.75, -42.0, 1e-9, 1e12, Double.POSITIVE_INFINITY})
        {
            assertThat(Double.longBitsToDouble(TruncatedHistogram.unpackToBits(TruncatedHistogram.pack(value))))
                .isEqualTo(TruncatedHistogram.bucketOf(value));
        }
    }

    @Test
    void shouldWalkPercentilesWithCeilingTargetAndNoInterpolation()
    {
        final TruncatedHistogram histogram = new TruncatedHistogram();
        assertThat(histogram.percentile(50)).isEqualTo(0.0);
        histogram.record(0.1);
        histogram.record(0.2);
        histogram.record(0.3005);
        assertThat(histogram.percentile(50)).isEqualTo(0.19921875);   // ceil(1.5) = 2nd entry
        assertThat(histogram.percentile(90)).isEqualTo(0.298828125);
        assertThat(histogram.percentile(99)).isEqualTo(0.298828125);
        assertThat(histogram.percentile(0)).isEqualTo(0.099609375);   // target 0: smallest bucket
        assertThat(histogram.percentile(100)).isEqualTo(0.298828125);
        assertThat(histogram.totalCount()).isEqualTo(3);
    }

    @Test
    void shouldOrderNegativesZerosInfinitiesAndNaNLikeDoubleCompare()
    {
        final TruncatedHistogram histogram = new TruncatedHistogram();
        final double[] values = {Double.NaN, 5, -0.0, 0.0, Double.NEGATIVE_INFINITY, -3, Double.POSITIVE_INFINITY, 5};
        for (final double value : values)
        {
            histogram.record(value);
        }
        final double[] buckets = new double[histogram.bucketCount()];
        final long[] counts = new long[histogram.bucketCount()];
        assertThat(histogram.copySorted(buckets, counts)).isEqualTo(7);
        assertThat(buckets).containsExactly(Double.NEGATIVE_INFINITY, -3.0, -0.0, 0.0, 5.0, Double.POSITIVE_INFINITY,
            Double.NaN);
        assertThat(counts).containsExactly(1, 1, 1, 1, 2, 1, 1);
        assertThat(histogram.percentile(99.9)).isNaN();
        assertThat(histogram.percentile(50)).isEqualTo(0.0);   // ceil(8 * 0.5) = 4th entry
    }

    @Test
    void shouldMergeAndClearWithoutLosingCounts()
    {
        final TruncatedHistogram a = new TruncatedHistogram();
        final TruncatedHistogram b = new TruncatedHistogram();
        a.record(1);
        b.record(1);
        b.recordBucket(TruncatedHistogram.truncatedBits(2), 5);
        b.recordBucket(TruncatedHistogram.truncatedBits(3), 0); // a client's zero-count bucket still exists
        a.merge(b);
        assertThat(a.totalCount()).isEqualTo(7);
        assertThat(a.bucketCount()).isEqualTo(3);
        a.clear();
        assertThat(a.totalCount()).isZero();
        assertThat(a.bucketCount()).isZero();
    }

    @Test
    void shouldAnswerFromTheInlineBucketExactlyAsFromTheTableAfterPromotion()
    {
        final double[] quantiles = {0, 1, 50, 90, 99, 99.9, 100};
        final TruncatedHistogram single = new TruncatedHistogram();
        single.record(12.5);
        single.record(12.55); // same 7-bit bucket ([12.5, 12.5625)): stays inline
        assertThat(single.bucketCount()).isEqualTo(1);
        assertThat(single.totalCount()).isEqualTo(2);
        for (final double q : quantiles)
        {
            assertThat(single.percentile(q)).isEqualTo(TruncatedHistogram.bucketOf(12.5));
        }
        final double[] buckets = new double[1];
        final long[] counts = new long[1];
        assertThat(single.copySorted(buckets, counts)).isEqualTo(1);
        assertThat(buckets[0]).isEqualTo(TruncatedHistogram.bucketOf(12.5));
        assertThat(counts[0]).isEqualTo(2);

        single.record(3.0); // second distinct bucket: promoted to the table
        assertThat(single.bucketCount()).isEqualTo(2);
        assertThat(single.totalCount()).isEqualTo(3);
        assertThat(single.percentile(50)).isEqualTo(TruncatedHistogram.bucketOf(12.5));
        assertThat(single.percentile(33)).isEqualTo(3.0);
        assertSameAs(single, model(12.5, 12.55, 3.0), quantiles);
    }

    @Test
    void shouldKeepAZeroCountClientBucketInlineAndAfterPromotion()
    {
        final TruncatedHistogram histogram = new TruncatedHistogram();
        histogram.recordBucket(TruncatedHistogram.truncatedBits(5.0), 0);
        assertThat(histogram.bucketCount()).isEqualTo(1);
        assertThat(histogram.percentile(50)).isEqualTo(0.0); // empty population answers 0, as before
        histogram.recordBucket(TruncatedHistogram.truncatedBits(7.0), 2);
        assertThat(histogram.bucketCount()).isEqualTo(2);
        final double[] buckets = new double[2];
        final long[] counts = new long[2];
        histogram.copySorted(buckets, counts);
        assertThat(buckets).containsExactly(5.0, 7.0);
        assertThat(counts).containsExactly(0, 2);
        assertThat(histogram.percentile(1)).isEqualTo(7.0);
    }

    @Test
    void shouldMatchATreeModelForRandomContentsAcrossReuseGrowthAndMerge()
    {
        final double[] quantiles = {0, 0.1, 1, 25, 50, 75, 90, 99, 99.9, 100};
        final double[] specials = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -1e300, 1e-300};
        final SplittableRandom random = new SplittableRandom(42);
        final TruncatedHistogram reused = new TruncatedHistogram();
        final TruncatedHistogram other = new TruncatedHistogram();
        for (int round = 0; round < 400; round++)
        {
            // Sizes from 0 (empty) through 1 (inline) to a few thousand buckets (grown, then dropped on clear).
            final int distinct = round % 7 == 0 ? 1 : random.nextInt(round % 5 == 0 ? 3000 : 12);
            final int samples = distinct == 0 ? 0 : distinct + random.nextInt(3 * distinct + 1);
            final TreeMap<Long, long[]> model = new TreeMap<>();
            reused.clear();
            for (int i = 0; i < samples; i++)
            {
                final double value;
                if (random.nextInt(20) == 0)
                {
                    value = specials[random.nextInt(specials.length)];
                }
                else
                {
                    value = (random.nextBoolean() ? 1 : -1) * random.nextInt(Math.max(1, distinct)) * 0.37;
                }
                reused.record(value);
                add(model, value, 1);
            }
            assertSameAs(reused, model, quantiles);
            other.clear();
            other.record(1.0);
            if (round % 2 == 0)
            {
                other.record(1e6);
                add(model, 1e6, 1);
            }
            add(model, 1.0, 1);
            reused.merge(other);
            assertSameAs(reused, model, quantiles);
        }
    }

    private static TreeMap<Long, long[]> model(final double... values)
    {
        final TreeMap<Long, long[]> model = new TreeMap<>();
        for (final double value : values)
        {
            add(model, value, 1);
        }
        return model;
    }

    /** MAD's tree: buckets ordered by {@code Double.compare}, keyed by the sort key of their bits. */
    private static void add(final TreeMap<Long, long[]> model, final double value, final long count)
    {
        model.computeIfAbsent(TruncatedHistogram.sortKey(TruncatedHistogram.truncatedBits(value)), k -> new long[1])
            [0] += count;
    }

    private static void assertSameAs(
        final TruncatedHistogram histogram, final TreeMap<Long, long[]> model, final double[] quantiles)
    {
        long total = 0;
        for (final long[] count : model.values())
        {
            total += count[0];
        }
        assertThat(histogram.totalCount()).isEqualTo(total);
        assertThat(histogram.bucketCount()).isEqualTo(model.size());
        final double[] buckets = new double[model.size()];
        final long[] counts = new long[model.size()];
        assertThat(histogram.copySorted(buckets, counts)).isEqualTo(model.size());
        int i = 0;
        for (final Map.Entry<Long, long[]> entry : model.entrySet())
        {
            assertThat(Double.doubleToRawLongBits(buckets[i]))
                .isEqualTo(TruncatedHistogram.bitsOfSortKey(entry.getKey()));
            assertThat(counts[i]).isEqualTo(entry.getValue()[0]);
            i++;
        }
        for (final double q : quantiles)
        {
            final double expected;
            if (total == 0)
            {
                expected = 0.0;
            }
            else
            {
                final double target = Math.min(Math.ceil(total * q / 100.0), total);
                long accumulated = 0;
                double found = Double.NaN;
                for (final Map.Entry<Long, long[]> entry : model.entrySet())
                {
                    accumulated += entry.getValue()[0];
                    found = Double.longBitsToDouble(TruncatedHistogram.bitsOfSortKey(entry.getKey()));
                    if (accumulated >= target)
                    {
                        break;
                    }
                }
                expected = found;
            }
            assertThat(Double.doubleToRawLongBits(histogram.percentile(q)))
                .as("q=%s of %s buckets", q, model.size()).isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }
}
