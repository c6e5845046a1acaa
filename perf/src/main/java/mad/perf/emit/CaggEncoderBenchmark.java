package mad.perf.emit;

import java.time.Duration;
import java.util.Map;
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

import mad.emit.cagg.CaggEncoder;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;

/**
 * The Cluster Aggregator encoder: one framed StatisticSetRecord for a closed timer (median, tp90, tp99, mean, count,
 * sum and a 64-bucket histogram as supporting data). One op = one record (= one POST body in MAD's framing).
 * Run: {@code java -jar perf/target/benchmarks.jar CaggEncoderBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CaggEncoderBenchmark
{
    private final CaggEncoder encoder = new CaggEncoder();
    private final PeriodicData data = new PeriodicData();

    /**
     * Builds one closed bucket.
     */
    @Setup
    public void setUp()
    {
        data.reset(Map.of("host", "host-1", "service", "bench", "cluster", "perf"), Duration.ofMinutes(1),
            1_795_586_880_000L, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric metric = data.addMetric();
        metric.reset("api.checkout.latency", MetricType.TIMER);
        metric.add(Statistic.MEDIAN, 0.19921875, Unit.SECOND, true);
        metric.add(Statistic.TP90, 0.298828125, Unit.SECOND, true);
        metric.add(Statistic.TP99, 0.298828125, Unit.SECOND, true);
        metric.add(Statistic.MEAN, 0.2001, Unit.SECOND, true);
        metric.add(Statistic.COUNT, 640, Unit.NONE, true);
        metric.add(Statistic.SUM, 128.06, Unit.SECOND, false);
        metric.add(Statistic.HISTOGRAM, 0, Unit.NONE, false);
        metric.histogram(64, Unit.SECOND);
        for (int i = 0; i < 64; i++)
        {
            metric.bucketArray()[i] = 0.001 * (i + 1);
            metric.bucketCountArray()[i] = 10;
        }
        metric.populationSize(640);
    }

    /**
     * @return the encoded length.
     */
    @Benchmark
    public int encode()
    {
        return encoder.encode(data, 0);
    }
}
