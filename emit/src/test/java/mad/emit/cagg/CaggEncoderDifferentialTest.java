package mad.emit.cagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;

/**
 * The hand-written {@link CaggEncoder} against the CodedOutputStream-based {@link ReferenceCaggEncoder} it replaced:
 * identical bytes on varied records (dimensions, periods, timestamps, statistics, histograms, odd strings), with the
 * same encoder instances reused across buckets so that the field cache is exercised.
 */
class CaggEncoderDifferentialTest
{
    private static final String[] TEXTS = {"", "a", "svc", "cl", "host-1", "é", "日本", "😀", "\ud800", "x\udc00y",
        "a/b.c d"};
    private static final Duration[] PERIODS = {Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(1500)};
    private static final double[] VALUES = {0.0, -0.0, 1.0, 0.5, 640, 1e300, -3.25, Double.NaN,
        Double.POSITIVE_INFINITY, 1e-320};

    @Test
    void shouldWriteTheSameBytesAsTheReferenceEncoder()
    {
        final SplittableRandom random = new SplittableRandom(66);
        final CaggEncoder[] encoders = {new CaggEncoder(), new CaggEncoder(8), new CaggEncoder(0, true),
            new CaggEncoder(8, true)};
        final ReferenceCaggEncoder[] references = {new ReferenceCaggEncoder(), new ReferenceCaggEncoder(8),
            new ReferenceCaggEncoder(0, true), new ReferenceCaggEncoder(8, true)};
        final PeriodicData data = new PeriodicData();
        for (int bucket = 0; bucket < 3_000; bucket++)
        {
            final Map<String, String> dimensions = new LinkedHashMap<>();
            dimensions.put("service", text(random));
            dimensions.put("cluster", text(random));
            for (int d = random.nextInt(4); d > 0; d--)
            {
                dimensions.put(text(random) + d, text(random));
            }
            final long start = 1_795_586_880_000L + random.nextInt(3) * 60_000L + (random.nextBoolean() ? 0
                : random.nextInt(60_000));
            final long request = random.nextBoolean() ? SampleEvent.NO_REQUEST_TIME : start + random.nextInt(5_000);
            data.reset(dimensions, PERIODS[random.nextInt(PERIODS.length)], start, request);
            final int metrics = 1 + random.nextInt(3);
            for (int m = 0; m < metrics; m++)
            {
                fill(data.addMetric(), random);
            }
            for (int e = 0; e < encoders.length; e++)
            {
                for (int m = 0; m < metrics; m++)
                {
                    final int length = encoders[e].encode(data, m);
                    final int expectedLength = references[e].encode(data, m);
                    assertThat(Arrays.copyOf(encoders[e].buffer(), length)).as("bucket %d metric %d encoder %d",
                        bucket, m, e).isEqualTo(Arrays.copyOf(references[e].buffer(), expectedLength));
                }
            }
        }
    }

    @Test
    void shouldNotAllocatePerRecordInSteadyState()
    {
        final SplittableRandom random = new SplittableRandom(67);
        final PeriodicData data = new PeriodicData();
        data.reset(Map.of("host", "host-1", "service", "bench", "cluster", "perf"), Duration.ofMinutes(1),
            1_795_586_880_000L, SampleEvent.NO_REQUEST_TIME);
        fill(data.addMetric(), random);
        fill(data.addMetric(), random);
        final CaggEncoder encoder = new CaggEncoder(0, true);
        for (int i = 0; i < 20_000; i++)
        {
            encoder.encode(data, i & 1);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
            java.lang.management.ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++)
        {
            encoder.encode(data, i & 1);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated / 20_000.0).as("bytes per record (%d total)", allocated).isLessThan(1.0);
    }

    private static String text(final SplittableRandom random)
    {
        return TEXTS[random.nextInt(TEXTS.length)] + (random.nextInt(4) == 0 ? TEXTS[random.nextInt(TEXTS.length)]
            : "");
    }

    private static void fill(final AggregatedMetric metric, final SplittableRandom random)
    {
        metric.reset("m." + text(random), random.nextBoolean() ? MetricType.TIMER : MetricType.GAUGE);
        final Statistic[] statistics = {Statistic.MEDIAN, Statistic.TP90, Statistic.MEAN, Statistic.COUNT,
            Statistic.SUM, Statistic.MAX};
        final Unit[] units = {Unit.NONE, Unit.SECOND, null};
        for (final Statistic statistic : statistics)
        {
            if (random.nextBoolean())
            {
                metric.add(statistic, VALUES[random.nextInt(VALUES.length)], units[random.nextInt(units.length)],
                    random.nextBoolean());
            }
        }
        final boolean histogram = random.nextBoolean();
        if (histogram)
        {
            metric.add(Statistic.HISTOGRAM, 0, Unit.NONE, false);
        }
        final int buckets = random.nextInt(70);
        metric.histogram(buckets, random.nextBoolean() ? Unit.SECOND : Unit.NONE);
        for (int i = 0; i < buckets; i++)
        {
            metric.bucketArray()[i] = i == 0 && random.nextBoolean() ? 0.0 : 0.001 * (i + 1);
            metric.bucketCountArray()[i] = random.nextInt(4) == 0 ? 0 : 1L + random.nextInt(1 << 20)
                * (random.nextBoolean() ? 1L : 1L << 30);
        }
        metric.populationSize(buckets * 10L);
    }
}
