package mad.perf.engine;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import mad.engine.histogram.TruncatedHistogram;

/**
 * Percentiles as {@code ClosedBucketReader} computes them for a timer under MAD's defaults (median, tp90, tp99), on
 * a histogram of {@code buckets} distinct truncated buckets. {@code sortedPercentiles} is the read of an unchanged
 * histogram; {@code recordThenPercentiles} adds one value first, so the sort is redone (the cost each closed timer
 * pays once); {@code copySorted} is the histogram supporting-data copy. One op = one call of three percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PercentileBenchmark
{
    private static final int VALUES = 4096;

    @Param({"30", "300"})
    public int buckets;

    private final TruncatedHistogram histogram = new TruncatedHistogram();
    private final double[] values = new double[VALUES];
    private double[] sortedBuckets;
    private long[] sortedCounts;
    private int index;

    /**
     * Fills the histogram with latency-like values spread over about {@code buckets} buckets.
     */
    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        // a 7-bit mantissa gives 128 buckets per octave: spread the values over buckets/128 octaves
        final double octaves = Math.max(1.0, buckets / 128.0);
        int attempts = 0;
        while (histogram.bucketCount() < buckets && attempts++ < 1_000_000)
        {
            histogram.record(0.001 * Math.pow(2, random.nextDouble() * octaves));
        }
        for (int i = 0; i < VALUES; i++)
        {
            // re-recording known values keeps the bucket count stable during the run
            values[i] = 0.001 * Math.pow(2, random.nextDouble() * octaves);
        }
        for (final double value : values)
        {
            histogram.record(value);
        }
        sortedBuckets = new double[histogram.bucketCount() + 1024];
        sortedCounts = new long[sortedBuckets.length];
    }

    /**
     * @return the sum of three percentiles.
     */
    @Benchmark
    public double sortedPercentiles()
    {
        return histogram.percentile(50) + histogram.percentile(90) + histogram.percentile(99);
    }

    /**
     * @return the sum of three percentiles after a record invalidated the sort.
     */
    @Benchmark
    public double recordThenPercentiles()
    {
        histogram.record(values[index++ & (VALUES - 1)]);
        return histogram.percentile(50) + histogram.percentile(90) + histogram.percentile(99);
    }

    /**
     * @return buckets copied, after a record invalidated the sort.
     */
    @Benchmark
    public int recordThenCopySorted()
    {
        histogram.record(values[index++ & (VALUES - 1)]);
        return histogram.copySorted(sortedBuckets, sortedCounts);
    }
}
