package mad.perf.engine;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.NoOpIdleStrategy;

import mad.engine.Engine;
import mad.engine.EngineConfig;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.ClosedPeriodHandler;
import mad.engine.output.PeriodicData;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.stat.StatisticsPolicy;

/**
 * Retained heap per active series of one aggregator, and (with {@code --load}) a GC-pause driver: feeds N StatsD-like
 * series (a third each counters, timers, gauges, with the harness's three DogStatsD tags) through the engine with
 * PT1S + PT1M open and MAD's default statistics, single-threaded on a fake clock that advances 100 ms per step (a
 * tenth of the series per step, so every series gets one sample per simulated second and PT1S buckets open, close
 * and recycle as they do at the harness's rates). The emitter side is a no-op handler called on the same thread.
 *
 * <p>Retained bytes = used heap after full GCs minus used heap after full GCs with the engine built but empty (the
 * ring and tables' initial arrays are in the baseline), divided by the series count. Two points are reported: after
 * the first simulated second (one PT1S and one PT1M bucket, nothing pooled) and in steady state after
 * {@code --seconds} (default 80: past the first minute boundary and the close of that minute's PT1M bucket 30 s
 * later, so the pools hold what two overlapping PT1M buckets and ~2 open PT1S buckets need).
 *
 * <pre>
 *   java -cp perf/target/benchmarks.jar mad.perf.engine.SeriesFootprint [--series 100000] [--seconds 80]
 *        [--distinct V] [--load SECONDS] [--garbage B] [--hold SECONDS]
 * </pre>
 * {@code --distinct V}: each timer sample takes one of V values (default 1: the harness sends one fixed value per
 * series); {@code --load S} then keeps running S more simulated seconds as fast as it can (run with
 * {@code -Xlog:gc} to read the pauses); during the load every closed series also allocates {@code --garbage B} bytes
 * (default 800, what the CAGG encoder allocates per record), kept in a 4096-entry ring, so that young collections
 * happen as they do under a real sink; {@code --hold S} keeps the process alive S seconds at the end (for
 * {@code jcmd <pid> GC.class_histogram}).
 *
 * <p>Thread ownership: one thread (main) drives publisher, aggregator and emitter.
 */
public final class SeriesFootprint
{
    private static final long T0 = 1_795_586_897_000L;
    private static final int STEPS_PER_SECOND = 10;
    private static final int DRAIN_EVERY = 1000;

    private final int seriesCount;
    private final int distinct;
    private final CachedEpochClock clock = new CachedEpochClock();
    private final Engine engine;
    private final SamplePublisher publisher;
    private final String[] names;
    private final MetricType[] types;
    private final ClosedPeriodHandler handler = this::onPeriod;
    private long closedSeries;
    /** Bytes allocated per closed series during --load, standing in for the sinks' encoding (CAGG ~770 B). */
    private int garbagePerClosedSeries;
    /** The last encoded "bodies", so they live a little, as queued HTTP bodies do. */
    private final byte[][] bodies = new byte[4096][];
    private long now = T0;
    private long samples;

    private SeriesFootprint(final int seriesCount, final int distinct)
    {
        this.seriesCount = seriesCount;
        this.distinct = distinct;
        clock.update(T0);
        // shared-2core shape: one shard, 16 Ki ring, hand-off 4096 (as PipelineRuntime builds it).
        engine = new Engine(new EngineConfig("footprint", List.of(Duration.ofSeconds(1), Duration.ofMinutes(1)),
            Duration.ofMinutes(5), StatisticsPolicy.madDefaults(), 1, 16384, 4096, NoOpIdleStrategy::new), clock);
        publisher = engine.newPublisher(SamplePublisher.Backpressure.DROP, new PublisherCounters("footprint"));
        names = new String[seriesCount];
        types = new MetricType[seriesCount];
        for (int i = 0; i < seriesCount; i++)
        {
            // The harness's statsd-100k names: hs100k.c<i> counters, hs100k.t<i> timers, hs100k.g<i> gauges.
            final int kind = i % 3;
            names[i] = "hs100k." + (kind == 0 ? "c" : kind == 1 ? "t" : "g") + i;
            types[i] = kind == 0 ? MetricType.COUNTER : kind == 1 ? MetricType.TIMER : MetricType.GAUGE;
        }
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args) throws Exception
    {
        int series = 100_000;
        int seconds = 80;
        int distinct = 1;
        int load = 0;
        int hold = 0;
        int garbage = 800;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--series" -> series = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--distinct" -> distinct = Integer.parseInt(args[i + 1]);
                case "--load" -> load = Integer.parseInt(args[i + 1]);
                case "--hold" -> hold = Integer.parseInt(args[i + 1]);
                case "--garbage" -> garbage = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final SeriesFootprint footprint = new SeriesFootprint(series, distinct);
        final long empty = usedAfterGc();
        footprint.second();
        final long first = usedAfterGc();
        for (int s = 1; s < seconds; s++)
        {
            footprint.second();
        }
        final long steady = usedAfterGc();
        System.out.printf(Locale.ROOT, "series=%d distinct=%d seconds=%d samples=%d closed-series=%d "
            + "series-created=%d%n", series, distinct, seconds, footprint.samples, footprint.closedSeries,
            footprint.engine.agent(0).counters().seriesCreated());
        System.out.printf(Locale.ROOT, "first second (1 PT1S + 1 PT1M bucket): %.1f bytes/series (%.1f MB)%n",
            (first - empty) / (double)series, (first - empty) / 1e6);
        System.out.printf(Locale.ROOT, "steady state after %d s (open PT1S + PT1M buckets + pools): %.1f bytes/series "
            + "(%.1f MB)%n", seconds, (steady - empty) / (double)series, (steady - empty) / 1e6);
        if (load > 0)
        {
            footprint.garbagePerClosedSeries = garbage;
            System.out.printf(Locale.ROOT, "load starts at uptime %d ms%n",
                ManagementFactory.getRuntimeMXBean().getUptime());
            final long gcBefore = gcMillis();
            final long start = System.nanoTime();
            for (int s = 0; s < load; s++)
            {
                footprint.second();
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "load: %d simulated s, %d samples in %.1f s (%.0f samples/s), GC time %d ms"
                + "%n", load, footprint.samples, elapsed, footprint.samples / elapsed, gcMillis() - gcBefore);
        }
        // --hold S: stay alive S seconds with the engine reachable (jcmd <pid> GC.class_histogram).
        Thread.sleep(hold * 1000L);
        java.lang.ref.Reference.reachabilityFence(footprint);
    }

    /** One simulated second: ten 100 ms steps, each publishing a tenth of the series and running the agent. */
    private void second() throws Exception
    {
        final int perStep = (seriesCount + STEPS_PER_SECOND - 1) / STEPS_PER_SECOND;
        for (int step = 0; step < STEPS_PER_SECOND; step++)
        {
            final int from = step * perStep;
            final int to = Math.min(seriesCount, from + perStep);
            for (int i = from; i < to; i++)
            {
                publish(i);
                if ((i - from) % DRAIN_EVERY == DRAIN_EVERY - 1)
                {
                    drain();
                }
            }
            drain();
            now += 1000 / STEPS_PER_SECOND;
            clock.update(now);
            drain();
        }
    }

    private void publish(final int i)
    {
        publisher.beginRecord(now, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("service", "harness");
        publisher.dimension("cluster", "harness_cluster");
        publisher.dimension("host", "harness-host");
        publisher.endDimensions();
        final MetricType type = types[i];
        publisher.beginMetric(names[i], type, Unit.NONE);
        final double value;
        if (type == MetricType.COUNTER)
        {
            value = 1;
        }
        else if (type == MetricType.TIMER)
        {
            value = 5 + i % 50 + (samples / seriesCount % distinct) * 1.5; // varies per simulated second
        }
        else
        {
            value = i % 100;
        }
        publisher.sample(value);
        publisher.endMetric();
        samples++;
    }

    private void drain() throws Exception
    {
        while (engine.agent(0).doWork() > 0 | engine.pollClosed(handler, 4096) > 0)
        {
            // until both the ring and the hand-off are empty
        }
    }

    private static long usedAfterGc()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long gcMillis()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += gc.getCollectionTime();
        }
        return total;
    }

    private void onPeriod(final PeriodicData data)
    {
        if (garbagePerClosedSeries > 0)
        {
            for (int m = 0; m < data.metricCount(); m++)
            {
                bodies[(int)((closedSeries + m) & (bodies.length - 1))] = new byte[garbagePerClosedSeries];
            }
        }
        closedSeries += data.metricCount();
    }
}
