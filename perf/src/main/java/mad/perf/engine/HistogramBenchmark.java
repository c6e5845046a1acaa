package mad.perf.engine;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import mad.engine.histogram.TruncatedHistogram;

/**
 * Histogram record and percentile. Run: {@code java -jar perf/target/benchmarks.jar HistogramBenchmark -prof gc};
 * {@code gc.alloc.rate.norm} must be ~0 B/op for {@code record}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HistogramBenchmark
{
    private static final int VALUES = 4096;
    private final TruncatedHistogram histogram = new TruncatedHistogram();
    private final double[] values = new double[VALUES];
    private int index;

    /**
     * Latency-like values: a few hundred distinct buckets, as a timer has.
     */
    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < VALUES; i++)
        {
            values[i] = Math.exp(random.nextDouble() * 8) / 1000.0;
        }
        for (final double value : values)
        {
            histogram.record(value);
        }
    }

    /**
     * @return the bucket count, so the work is not dead code.
     */
    @Benchmark
    public int record()
    {
        histogram.record(values[index++ & (VALUES - 1)]);
        return histogram.bucketCount();
    }

    /**
     * @return the 99th percentile after a new value invalidated the sort.
     */
    @Benchmark
    public double recordThenPercentile()
    {
        histogram.record(values[index++ & (VALUES - 1)]);
        return histogram.percentile(99);
    }
}
