package mad.emit;

import java.time.Duration;
import java.util.Map;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;

/**
 * Builds {@link PeriodicData} for tests through its public API.
 */
public final class TestData
{
    /** 2026-11-25T06:08Z. */
    public static final long MINUTE_START_MS = java.time.Instant.parse("2026-11-25T06:08:00Z").toEpochMilli();

    private TestData()
    {
    }

    /**
     * @return a bucket with one timer metric {@code latency} (count, max, histogram) and one counter {@code hits}.
     */
    public static PeriodicData timerAndCounter(final Map<String, String> dimensions, final Duration period)
    {
        final PeriodicData data = new PeriodicData();
        data.reset(dimensions, period, MINUTE_START_MS, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric latency = data.addMetric();
        latency.reset("latency", MetricType.TIMER);
        latency.add(Statistic.MAX, 0.3, Unit.SECOND, true);
        latency.add(Statistic.COUNT, 3, Unit.NONE, false);
        latency.add(Statistic.HISTOGRAM, 0, Unit.NONE, false);
        latency.histogram(2, Unit.SECOND);
        latency.bucketArray()[0] = 0.1;
        latency.bucketArray()[1] = 0.298828125;
        latency.bucketCountArray()[0] = 2;
        latency.bucketCountArray()[1] = 1;
        latency.populationSize(3);
        final AggregatedMetric hits = data.addMetric();
        hits.reset("hits", MetricType.COUNTER);
        hits.add(Statistic.SUM, 6, Unit.NONE, true);
        hits.add(Statistic.COUNT, 3, Unit.NONE, true);
        return data;
    }

    public static EmitContext context(final long[] clock)
    {
        return new EmitContext("test", () -> clock[0], mad.emit.http.HttpFacility.defaults());
    }
}
