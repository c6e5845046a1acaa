package mad.engine.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import mad.engine.Engine;
import mad.engine.EngineConfig;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.stat.Statistic;
import mad.engine.stat.StatisticSet;
import mad.engine.stat.StatisticsPolicy;

class AggregatorAgentTest
{
    private static final long T0 = 1_795_586_897_000L; // 2026-11-25T06:08:17Z, the golden run's T0

    private final CachedEpochClock clock = new CachedEpochClock();
    private final List<String> closed = new ArrayList<>();
    private final List<Map<String, Object>> metrics = new ArrayList<>();
    private Engine engine;
    private SamplePublisher publisher;

    private void engine(final StatisticsPolicy policy, final Duration... periods)
    {
        engine(EngineConfig.DEFAULT_MAX_SERIES, policy, periods);
    }

    private void engine(final int maxSeries, final StatisticsPolicy policy, final Duration... periods)
    {
        engine = new Engine(new EngineConfig("test", List.of(periods), Duration.ofMinutes(5), policy, 1, 1024, 64,
            NoOpIdleStrategy::new, maxSeries), clock);
        publisher = engine.newPublisher(SamplePublisher.Backpressure.DROP, new PublisherCounters("test"));
    }

    /** Processes what was published at the current time, then moves the clock and runs one more duty cycle. */
    private void tick(final long nowMs) throws Exception
    {
        engine.agent(0).doWork();
        clock.update(nowMs);
        engine.agent(0).doWork();
        engine.pollClosed(this::capture, 1000);
    }

    private void capture(final PeriodicData data)
    {
        for (int m = 0; m < data.metricCount(); m++)
        {
            final AggregatedMetric metric = data.metric(m);
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", data.period().toString());
            row.put("start", data.startMs());
            row.put("dims", data.dimensions());
            row.put("name", metric.name());
            row.put("minRequest", data.minRequestTimeMs());
            for (int s = 0; s < metric.statisticCount(); s++)
            {
                row.put(metric.statistic(s).wireName(), metric.value(s));
                row.put(metric.statistic(s).wireName() + ".specified", metric.specified(s));
                row.put(metric.statistic(s).wireName() + ".unit", metric.unit(s));
            }
            if (metric.bucketCount() > 0)
            {
                final List<String> buckets = new ArrayList<>();
                for (int b = 0; b < metric.bucketCount(); b++)
                {
                    buckets.add(metric.bucket(b) + "x" + metric.bucketCountAt(b));
                }
                row.put("buckets", buckets);
            }
            metrics.add(row);
        }
        closed.add(data.period() + "@" + data.startMs());
    }

    private void record(final long time, final long requestTime, final String name, final MetricType type,
        final Unit unit, final double... values)
    {
        publisher.beginRecord(time, requestTime);
        publisher.dimension("service", "svc");
        publisher.dimension("host", "h1");
        assertThat(publisher.endDimensions()).isZero();
        publisher.beginMetric(name, type, unit);
        for (final double v : values)
        {
            publisher.sample(v);
        }
        publisher.endMetric();
    }

    @Test
    void shouldKeepAsciiAndNonAsciiNamesOfOneDimensionSetApart() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        clock.update(T0 + 300);
        // ASCII names are matched against their String, others against their kept UTF-8 bytes: same lengths in chars
        // and bytes must not be confused ("caf\u00e9" is 5 bytes like "cafeX"; "ab" and "ba" are the same length).
        final String[] names = {"ab", "ba", "caf\u00e9", "cafeX", "cafe", "\u00e9t\u00e9"};
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < names.length; i++)
            {
                record(T0 + 200, SampleEvent.NO_REQUEST_TIME, names[i], MetricType.GAUGE, Unit.NONE, i + 1);
            }
        }
        tick(T0 + 2001);
        assertThat(metrics).hasSize(names.length);
        for (int i = 0; i < names.length; i++)
        {
            assertThat(metrics.get(i)).containsEntry("name", names[i]).containsEntry("count", 2.0)
                .containsEntry("sum", 2.0 * (i + 1));
        }
    }

    @Test
    void shouldAggregateGaugeWithMadDefaultsAndFlags() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        clock.update(T0 + 300);
        record(T0 + 200, T0 + 250, "g", MetricType.GAUGE, Unit.NONE, 1, 2, 3, 4, 100);
        record(T0 + 300, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, 6);
        tick(T0 + 400);
        assertThat(closed).isEmpty();
        tick(T0 + 2000); // expiry = start + 1 s + 1 s = T0 + 2000: closes strictly after
        assertThat(closed).isEmpty();
        tick(T0 + 2001);
        assertThat(closed).containsExactly("PT1S@" + T0);
        final Map<String, Object> row = metrics.get(0);
        assertThat(row).containsEntry("count", 6.0).containsEntry("sum", 116.0).containsEntry("min", 1.0)
            .containsEntry("max", 100.0).containsEntry("mean", 116.0 / 6).containsEntry("minRequest", T0 + 250)
            .containsEntry("count.specified", false).containsEntry("sum.specified", false)
            .containsEntry("min.specified", true).containsEntry("mean.specified", true);
        assertThat(row).doesNotContainKey("histogram");
        assertThat(row.get("dims")).isEqualTo(Map.of("service", "svc", "host", "h1"));
    }

    @Test
    void shouldRetainHistogramForSinksWithoutAddingAStatistic() throws Exception
    {
        engine(StatisticsPolicy.madDefaults().retainingHistograms(), Duration.ofSeconds(1));
        clock.update(T0 + 300);
        record(T0 + 200, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, 1, 1, 0.1, 100);
        record(T0 + 210, SampleEvent.NO_REQUEST_TIME, "c", MetricType.COUNTER, Unit.NONE, 1, 1);
        tick(T0 + 2001);

        final Map<String, Object> gauge = metrics.get(0);
        assertThat(gauge).doesNotContainKey("histogram").containsEntry("count", 4.0)
            .containsEntry("buckets", List.of("0.099609375x1", "1.0x2", "100.0x1"));
        assertThat(metrics.get(1)).doesNotContainKey("histogram").containsEntry("buckets", List.of("1.0x2"));
        assertThat(StatisticsPolicy.madDefaults().resolve("g", MetricType.GAUGE).needsHistogram()).isFalse();
        assertThat(StatisticsPolicy.madDefaults().retainingHistograms().resolve("g", MetricType.GAUGE)
            .needsHistogram()).isTrue();
    }

    @Test
    void shouldComputeTimerPercentilesFromTruncatedBuckets() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofMinutes(1));
        clock.update(T0);
        // statsd 100ms, 200ms, 300.5ms, normalised to seconds by the decoder
        record(T0, SampleEvent.NO_REQUEST_TIME, "t", MetricType.TIMER, Unit.SECOND, 0.1, 0.2, 300.5 * 0.001);
        tick(T0 - T0 % 60_000 + 60_000 + 30_001);
        final Map<String, Object> row = metrics.get(0);
        assertThat(row).containsEntry("median", 0.19921875).containsEntry("tp90", 0.298828125)
            .containsEntry("tp99", 0.298828125).containsEntry("count", 3.0).containsEntry("histogram", 1.0)
            .containsEntry("histogram.specified", false).containsEntry("median.unit", Unit.SECOND)
            .containsEntry("count.unit", Unit.NONE).containsEntry("histogram.unit", Unit.NONE);
        assertThat((double)row.get("sum")).isEqualTo(0.1 + 0.2 + 300.5 * 0.001);
        assertThat(row.get("buckets")).asList().containsExactly("0.099609375x1", "0.19921875x1", "0.298828125x1");
    }

    @Test
    void shouldCloseEachPeriodHalfAPeriodAfterItsEndClampedToOneSecondAndTenMinutes() throws Exception
    {
        // T = clamp(P/2, 1 s, 10 min): PT1S -> 1 s (clamped up), PT1M -> 30 s, PT1H -> 10 min (clamped down).
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1));
        final long minute = T0 - T0 % 60_000;
        final long hour = T0 - T0 % 3_600_000;
        clock.update(T0);
        record(T0, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, 1);
        tick(T0 + 2000);
        assertThat(closed).isEmpty();
        tick(T0 + 2001);
        assertThat(closed).containsExactly("PT1S@" + T0);
        tick(minute + 60_000 + 30_000);
        assertThat(closed).hasSize(1);
        tick(minute + 60_000 + 30_001);
        assertThat(closed).containsExactly("PT1S@" + T0, "PT1M@" + minute);
        tick(hour + 3_600_000 + 600_000);
        assertThat(closed).hasSize(2);
        tick(hour + 3_600_000 + 600_001);
        assertThat(closed).containsExactly("PT1S@" + T0, "PT1M@" + minute, "PT1H@" + hour);
    }

    @Test
    void shouldCloseABucketCreatedLateAtNowPlusTNotAtItsEnd() throws Exception
    {
        // expiry = max(now + T, end + T): data for a minute that ended 50 s ago closes 30 s after it arrives.
        engine(StatisticsPolicy.madDefaults(), Duration.ofMinutes(1));
        final long minute = T0 - T0 % 60_000;
        final long arrival = minute + 60_000 + 50_000;
        clock.update(arrival);
        record(minute + 1000, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, 3);
        tick(arrival + 30_000);
        assertThat(closed).isEmpty();
        tick(arrival + 30_001);
        assertThat(closed).containsExactly("PT1M@" + minute);
    }

    @Test
    void shouldRejectNewSeriesBeyondTheLimitAndKeepAggregatingTheOthers() throws Exception
    {
        engine(3, StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        clock.update(T0);
        for (int i = 0; i < 1000; i++)
        {
            record(T0, SampleEvent.NO_REQUEST_TIME, "flood." + i, MetricType.GAUGE, Unit.NONE, i);
            if (i % 200 == 0)
            {
                engine.agent(0).doWork();
            }
        }
        record(T0, SampleEvent.NO_REQUEST_TIME, "flood.1", MetricType.GAUGE, Unit.NONE, 42);
        tick(T0 + 2001);
        assertThat(engine.counters()[0].seriesCreated()).isEqualTo(3);
        assertThat(engine.counters()[0].seriesRejected()).isEqualTo(997);
        assertThat(metrics).extracting(row -> row.get("name")).containsExactlyInAnyOrder("flood.0", "flood.1", "flood.2");
        assertThat(metrics).filteredOn(row -> "flood.1".equals(row.get("name")))
            .singleElement().satisfies(row -> assertThat(row).containsEntry("count", 2.0).containsEntry("max", 42.0));
    }

    @Test
    void shouldFindEachSeriesAccumulatorAmongSeveralOpenBucketsOfOnePeriod() throws Exception
    {
        // Samples alternate between three open PT1S buckets (out of order within the close delay): each series must
        // find its accumulator in the right bucket whichever is the most recent one, and leave its chain when that
        // bucket closes (oldest first, i.e. from the chain's tail) while newer ones stay open.
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        clock.update(T0 + 2500);
        for (int round = 0; round < 3; round++)
        {
            for (final long second : new long[] {2, 0, 1})
            {
                record(T0 + second * 1000 + round, SampleEvent.NO_REQUEST_TIME, "t", MetricType.TIMER, Unit.NONE,
                    second * 10 + round);
                record(T0 + second * 1000, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, second);
            }
        }
        tick(T0 + 2500);
        assertThat(closed).isEmpty();
        tick(T0 + 3501); // T0 closes at max(now + 1 s, end + 1 s) = T0 + 3500; T0 + 1 s at the same time
        assertThat(closed).containsExactlyInAnyOrder("PT1S@" + T0, "PT1S@" + (T0 + 1000));
        record(T0 + 2999, SampleEvent.NO_REQUEST_TIME, "t", MetricType.TIMER, Unit.NONE, 29);
        tick(T0 + 4001);
        assertThat(closed).hasSize(3).endsWith("PT1S@" + (T0 + 2000));
        for (final long second : new long[] {0, 1, 2})
        {
            final long start = T0 + second * 1000;
            assertThat(metrics).filteredOn(row -> "t".equals(row.get("name")) && row.get("start").equals(start))
                .singleElement().satisfies(row -> assertThat(row)
                    .containsEntry("count", second == 2 ? 4.0 : 3.0).containsEntry("median", second * 10.0 + 1)
                    .containsEntry("tp99", second == 2 ? 29.0 : second * 10.0 + 2));
            assertThat(metrics).filteredOn(row -> "g".equals(row.get("name")) && row.get("start").equals(start))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("count", 3.0)
                    .containsEntry("max", (double)second));
        }
        // Every chain is empty again: the series keep no accumulator of a closed bucket.
        assertThat(engine.agent(0).openBucketCount()).isZero();
        record(T0 + 9000, SampleEvent.NO_REQUEST_TIME, "t", MetricType.TIMER, Unit.NONE, 1);
        tick(T0 + 11_001);
        assertThat(metrics.get(metrics.size() - 1)).containsEntry("count", 1.0).containsEntry("median", 1.0);
    }

    @Test
    void shouldEmitLateDataAsSecondAggregateForTheSameStart() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        clock.update(T0 + 100);
        record(T0 + 100, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, 5);
        tick(T0 + 2001);
        assertThat(closed).containsExactly("PT1S@" + T0);
        clock.update(T0 + 5000);
        record(T0 + 500, SampleEvent.NO_REQUEST_TIME, "g", MetricType.GAUGE, Unit.NONE, 7);
        tick(T0 + 5000); // late bucket created at T0+5000 expires at now + 1 s
        assertThat(closed).hasSize(1);
        tick(T0 + 6001);
        assertThat(closed).containsExactly("PT1S@" + T0, "PT1S@" + T0);
        assertThat(metrics.get(1)).containsEntry("max", 7.0).containsEntry("count", 1.0);
        assertThat(engine.counters()[0].lateBuckets()).isEqualTo(1);
    }

    @Test
    void shouldMergeClientStatisticsAfterSamples() throws Exception
    {
        final Map<Pattern, StatisticSet> explicit = new LinkedHashMap<>();
        explicit.put(Pattern.compile("special\\..*"), StatisticSet.of(Statistic.TP95, Statistic.MIN));
        engine(new StatisticsPolicy(StatisticsPolicy.madDefaults().resolve("x", MetricType.TIMER),
            StatisticsPolicy.madDefaults().resolve("x", MetricType.COUNTER),
            StatisticsPolicy.madDefaults().resolve("x", MetricType.GAUGE), explicit), Duration.ofSeconds(1));
        clock.update(T0);
        publisher.beginRecord(T0, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("service", "svc");
        publisher.endDimensions();
        publisher.beginMetric("golden.v3.mixed", MetricType.GAUGE, Unit.NONE);
        publisher.sample(5);
        publisher.clientStatistics(7, 7, 14, 2);
        publisher.clientHistogramEntry(131296, 2);
        publisher.endMetric();
        publisher.beginMetric("special.x", MetricType.GAUGE, Unit.NONE);
        publisher.sample(5);
        publisher.clientStatistics(7, 7, 14, 2);
        publisher.clientHistogramEntry(131296, 2);
        publisher.endMetric();
        tick(T0 + 2001);
        assertThat(metrics.get(0)).containsEntry("count", 3.0).containsEntry("sum", 19.0).containsEntry("min", 5.0)
            .containsEntry("max", 7.0).doesNotContainKey("histogram");
        assertThat(metrics.get(1)).containsEntry("min", 5.0).containsEntry("min.specified", true)
            .containsEntry("tp95", 7.0).containsEntry("tp95.specified", true).containsEntry("histogram.specified", false)
            .containsEntry("count.specified", false).doesNotContainKey("max").doesNotContainKey("mean");
        assertThat(metrics.get(1).get("buckets")).asList().containsExactly("5.0x1", "7.0x2");
    }

    @Test
    void shouldFlushEveryOpenBucketOnDemand() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1), Duration.ofMinutes(1));
        clock.update(T0);
        record(T0, SampleEvent.NO_REQUEST_TIME, "c", MetricType.COUNTER, Unit.NONE, 1, 2, 3);
        publisher.publishFlush();
        tick(T0 + 1);
        assertThat(closed).containsExactlyInAnyOrder("PT1S@" + T0, "PT1M@" + (T0 - T0 % 60_000));
        assertThat(metrics.get(0)).containsEntry("sum", 6.0).containsEntry("mean", 2.0);
    }

    @Test
    void shouldRejectSampleWithConflictingUnitAloneAndKeepOthers() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        clock.update(T0);
        record(T0, SampleEvent.NO_REQUEST_TIME, "x", MetricType.TIMER, Unit.SECOND, 0.005);
        record(T0, SampleEvent.NO_REQUEST_TIME, "x", MetricType.TIMER, Unit.NONE, 6);
        record(T0, SampleEvent.NO_REQUEST_TIME, "y", MetricType.GAUGE, Unit.NONE, 1);
        tick(T0 + 2001);
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(0)).containsEntry("name", "x").containsEntry("count", 1.0);
        assertThat(engine.counters()[0].unitConflicts()).isEqualTo(1);
    }

    @Test
    void shouldReuseBucketsWithoutLeakingStateBetweenPeriods() throws Exception
    {
        engine(StatisticsPolicy.madDefaults(), Duration.ofSeconds(1));
        for (int second = 0; second < 20; second++)
        {
            final long start = T0 + second * 1000L;
            clock.update(start);
            engine.agent(0).doWork();
            record(start + 10, SampleEvent.NO_REQUEST_TIME, "c", MetricType.COUNTER, Unit.NONE, second);
            tick(start + 20);
        }
        tick(T0 + 30_000);
        assertThat(metrics).hasSize(20);
        for (int second = 0; second < 20; second++)
        {
            assertThat(metrics.get(second)).containsEntry("sum", (double)second).containsEntry("count", 1.0);
        }
    }
}
