package mad.engine.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

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
}
