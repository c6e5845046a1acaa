package mad.perf.engine;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import mad.engine.Engine;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;

/**
 * Publish into the ring and aggregate (PT1S + PT1M, MAD default statistics), single-threaded so the cost of one
 * sample's whole engine path is measured: key build + hash + ring claim/publish + table lookup + accumulate.
 * One op = one sample. Run: {@code java -jar perf/target/benchmarks.jar AggregateBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(AggregateBenchmark.BATCH)
public class AggregateBenchmark
{
    static final int BATCH = 1000;
    private static final long NOW = 1_795_586_897_000L;

    @Param({"100", "10000"})
    public int series;

    @Param({"GAUGE", "TIMER"})
    public MetricType type;

    private final CachedEpochClock clock = new CachedEpochClock();
    private Engine engine;
    private SamplePublisher publisher;
    private String[] names;
    private int next;

    /**
     * Builds the engine and touches every series once so the tables are warm.
     */
    @Setup
    public void setUp() throws Exception
    {
        clock.update(NOW);
        engine = BenchEngines.secondAndMinute(clock);
        publisher = engine.newPublisher(SamplePublisher.Backpressure.DROP, new PublisherCounters("bench"));
        names = new String[series];
        for (int i = 0; i < series; i++)
        {
            names[i] = "metric.name." + i;
        }
        for (int i = 0; i < series; i += BATCH)
        {
            aggregate();
        }
    }

    /**
     * @return work done by the aggregator.
     */
    @Benchmark
    public int aggregate() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            final String name = names[next++ % names.length];
            publisher.beginRecord(NOW + (i & 511), SampleEvent.NO_REQUEST_TIME);
            publisher.dimension("host", "host-1");
            publisher.dimension("service", "bench");
            publisher.dimension("cluster", "perf");
            publisher.endDimensions();
            publisher.beginMetric(name, type, Unit.NONE);
            publisher.sample(i * 0.25);
            publisher.endMetric();
        }
        return engine.agent(0).doWork();
    }
}
