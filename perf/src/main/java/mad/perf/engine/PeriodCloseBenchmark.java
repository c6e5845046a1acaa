package mad.perf.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.openjdk.jmh.annotations.Level;
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

import mad.engine.Engine;
import mad.engine.EngineConfig;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.ClosedPeriodHandler;
import mad.engine.output.PeriodicData;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.stat.StatisticsPolicy;

/**
 * Period close: the aggregator closes every expired PT1S bucket (min-heap by expiry, hand-off queue) and the emitter
 * side ({@code Engine.pollClosed}) reads each through {@code ClosedBucketReader} into the reused
 * {@link PeriodicData}: MAD default statistics, so timers derive median/tp90/tp99 from their histograms, and every
 * bucket goes back for reuse. 30 dimension sets x 10 metrics = 300 series, {@code samples} values each per period.
 * Filling the period happens in a per-invocation setup (not timed). One op = one closed series (one
 * {@link AggregatedMetric}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(PeriodCloseBenchmark.SERIES)
public class PeriodCloseBenchmark
{
    static final int SERIES = 300;
    private static final int METRICS = 10;
    private static final long START = 1_795_586_897_000L;

    @Param({"TIMER", "COUNTER"})
    public MetricType type;

    @Param({"4"})
    public int samples;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final Reader reader = new Reader();
    private Engine engine;
    private SamplePublisher publisher;
    private String[] names;
    private String[] hosts;
    private long periodStart = START;

    /**
     * Builds the engine and runs a few periods so pools and tables are warm.
     */
    @Setup
    public void setUp() throws Exception
    {
        clock.update(START);
        engine = new Engine(new EngineConfig("bench", List.of(Duration.ofSeconds(1)), Duration.ofMinutes(5),
            StatisticsPolicy.madDefaults(), 1, 4096, 1024, NoOpIdleStrategy::new), clock);
        publisher = engine.newPublisher(SamplePublisher.Backpressure.DROP, new PublisherCounters("bench"));
        names = new String[METRICS];
        for (int m = 0; m < METRICS; m++)
        {
            names[m] = "http.server.request.latency." + m;
        }
        hosts = new String[SERIES / METRICS];
        for (int h = 0; h < hosts.length; h++)
        {
            hosts[h] = "app-host-" + h;
        }
        for (int i = 0; i < 5; i++)
        {
            fill();
            close();
        }
        if (reader.metrics != 5L * SERIES || publisher.counters().dropped() != 0)
        {
            throw new IllegalStateException("warm-up closed " + reader.metrics + " series, dropped "
                + publisher.counters().dropped());
        }
    }

    /**
     * Publishes and aggregates one period's samples for every series (untimed).
     */
    @Setup(Level.Invocation)
    public void fill() throws Exception
    {
        clock.update(periodStart);
        for (int s = 0; s < SERIES; s++)
        {
            publisher.beginRecord(periodStart + s, SampleEvent.NO_REQUEST_TIME);
            publisher.dimension("host", hosts[s / METRICS]);
            publisher.dimension("service", "checkout");
            publisher.dimension("cluster", "prod-us-west");
            publisher.endDimensions();
            publisher.beginMetric(names[s % METRICS], type, Unit.SECOND);
            for (int v = 0; v < samples; v++)
            {
                publisher.sample(0.001 * (s + 1) * (v + 1));
            }
            publisher.endMetric();
        }
        engine.agent(0).doWork();
    }

    /**
     * Moves the clock past the buckets' expiry, lets the aggregator close them and reads every closed bucket.
     *
     * @return a sum over what was read, so the work is not dead code.
     */
    @Benchmark
    public double close() throws Exception
    {
        // expiry = max(now + 1 s, start + 1 s + 1 s) and a bucket closes once the clock is past it: 3 s after the
        // period start is the first whole second that closes it, and it is also where the next period is filled
        periodStart += 3_000;
        clock.update(periodStart);
        engine.agent(0).doWork();
        while (engine.pollClosed(reader, 64) > 0)
        {
            // drain every shard's hand-off
        }
        return reader.sum;
    }

    /** The emitter side: looks at every statistic, as a sink would. */
    private static final class Reader implements ClosedPeriodHandler
    {
        long metrics;
        double sum;

        @Override
        public void onPeriod(final PeriodicData data)
        {
            for (int m = 0; m < data.metricCount(); m++)
            {
                final AggregatedMetric metric = data.metric(m);
                for (int s = 0; s < metric.statisticCount(); s++)
                {
                    sum += metric.value(s);
                }
                metrics++;
            }
        }
    }
}
