package mad.emit.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.emit.Sink;
import mad.emit.SinkType;
import mad.emit.TestData;
import mad.emit.http.HttpFacility;
import mad.emit.self.RecordingSelfMetrics;
import mad.emit.self.UnitOfWork;
import mad.engine.config.ConfigException;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;

class PeriodicStatisticsSinkTest
{
    private static final String PREFIX = "sinks/periodic_statistics/stats/";
    private static final long START = TestData.MINUTE_START_MS;

    private final long[] clock = {START};
    private final RecordingSelfMetrics self = new RecordingSelfMetrics(() -> clock[0]);
    private final HttpFacility http = HttpFacility.defaults();
    private final EmitContext context = new EmitContext("test", () -> clock[0], http, self);

    @AfterEach
    void tearDown()
    {
        http.close();
    }

    private PeriodicStatisticsSink sink(final Object... extra)
    {
        final Object[] keys = new Object[extra.length + 4];
        keys[0] = "type";
        keys[1] = "com.arpnetworking.tsdcore.sinks.PeriodicStatisticsSink";
        keys[2] = "name";
        keys[3] = "stats";
        System.arraycopy(extra, 0, keys, 4, extra.length);
        return PeriodicStatisticsSink.createUnscheduled(MapSettings.of(keys), context);
    }

    /** latency: 3 statistics, population 3; hits: 2 statistics, population 4. */
    private static PeriodicData bucket(final Map<String, String> dimensions, final Duration period)
    {
        final PeriodicData data = TestData.timerAndCounter(dimensions, period);
        data.metric(1).populationSize(4);
        return data;
    }

    private static double value(final UnitOfWork unit, final String name)
    {
        final UnitOfWork.Entry entry = unit.entry(PREFIX + name);
        assertThat(entry).as(name).isNotNull();
        assertThat(entry.samples()).hasSize(1);
        return entry.samples()[0];
    }

    private UnitOfWork unitWith(final Map<String, String> dimensions)
    {
        return self.units.stream().filter(unit -> unit.dimensions().equals(dimensions)).findFirst().orElseThrow();
    }

    @Test
    void shouldGroupByPeriodAndMappedDimensionsAndCountEveryInterval()
    {
        final PeriodicStatisticsSink sink = sink("dimensions", List.of("host"),
            "mappedDimensions", Map.of("service", "svc"), "defaultDimensionsValues", Map.of("host", "unknown"),
            "intervalInMilliseconds", "1000");
        clock[0] = START + 1000 + 250;
        sink.recordAggregateData(bucket(Map.of("service", "a", "host", "h1", "cluster", "c"), Duration.ofSeconds(1)));
        clock[0] = START + 1000 + 400;
        final PeriodicData withRequestTime = bucket(Map.of("service", "a", "host", "h1", "cluster", "c", "o", "x"),
            Duration.ofSeconds(1));
        withRequestTime.reset(withRequestTime.dimensions(), Duration.ofSeconds(1), START, START + 100);
        sink.recordAggregateData(withRequestTime);
        sink.recordAggregateData(bucket(Map.of("service", "b"), Duration.ofMinutes(1)));

        clock[0] = START + 2000;
        sink.flush();

        assertThat(self.units).hasSize(2);
        final UnitOfWork seconds = unitWith(Map.of("_period", "PT1S", "host", "h1", "svc", "a"));
        // withRequestTime was reset: it has no metrics (reset clears them), so only the first bucket's 5 values.
        assertThat(value(seconds, "aggregated_data")).isEqualTo(5);
        assertThat(value(seconds, "unique_metrics")).isEqualTo(2);
        assertThat(value(seconds, "unique_statistics")).isEqualTo(2);
        assertThat(value(seconds, "metric_samples")).isEqualTo(7);
        assertThat(value(seconds, "age")).isEqualTo(400);
        assertThat(value(seconds, "request_age")).isEqualTo(1000 + 400 - 100);
        assertThat(seconds.entry(PREFIX + "age").kind()).isEqualTo(UnitOfWork.Kind.TIMER);
        assertThat(seconds.entry(PREFIX + "unique_metrics").kind()).isEqualTo(UnitOfWork.Kind.COUNTER);
        assertThat(seconds.startMs()).isEqualTo(START);
        assertThat(seconds.endMs()).isEqualTo(START + 2000);

        final UnitOfWork minutes = unitWith(Map.of("_period", "PT1M", "host", "unknown", "svc", "b"));
        assertThat(value(minutes, "aggregated_data")).isEqualTo(5);
        assertThat(value(minutes, "metric_samples")).isEqualTo(7);
        assertThat(value(minutes, "age")).isZero();
        assertThat(value(minutes, "request_age")).isZero();

        self.units.clear();
        sink.flush();
        assertThat(self.units).as("groups without data emit nothing").isEmpty();
    }

    @Test
    void shouldCountUniqueStatisticsPerDimensionMapAndSamplesPerBucket()
    {
        final PeriodicStatisticsSink sink = sink();
        sink.recordAggregateData(bucket(Map.of("service", "a", "host", "h1"), Duration.ofSeconds(1)));
        sink.recordAggregateData(bucket(Map.of("service", "a", "host", "h1"), Duration.ofSeconds(1)));
        sink.recordAggregateData(bucket(Map.of("service", "a", "host", "h2"), Duration.ofSeconds(1)));
        // One bucket with the same name twice (two types): its population counts once.
        final PeriodicData twice = new PeriodicData();
        twice.reset(Map.of("service", "a", "host", "h3"), Duration.ofSeconds(1), START, SampleEvent.NO_REQUEST_TIME);
        twice.addMetric().reset("x", MetricType.GAUGE);
        twice.metric(0).add(Statistic.MAX, 1, Unit.NONE, true);
        twice.metric(0).populationSize(10);
        twice.addMetric().reset("x", MetricType.COUNTER);
        twice.metric(1).add(Statistic.SUM, 1, Unit.NONE, true);
        twice.metric(1).populationSize(99);
        sink.recordAggregateData(twice);
        sink.flush();

        assertThat(self.units).hasSize(1);
        final UnitOfWork unit = self.units.get(0);
        assertThat(unit.dimensions()).isEqualTo(Map.of("_period", "PT1S"));
        assertThat(value(unit, "aggregated_data")).isEqualTo(3 * 5 + 2);
        assertThat(value(unit, "unique_metrics")).isEqualTo(3);
        assertThat(value(unit, "unique_statistics")).isEqualTo(2 + 2 + 1);
        assertThat(value(unit, "metric_samples")).isEqualTo(3 * 7 + 10);
    }

    @Test
    void shouldFlushOnCloseAndIgnoreDataAfterwards()
    {
        final PeriodicStatisticsSink sink = sink("periodDimensionName", "p");
        sink.recordAggregateData(bucket(Map.of("service", "a"), Duration.ofMinutes(1)));
        sink.close();
        assertThat(self.units).hasSize(1);
        assertThat(self.units.get(0).dimensions()).isEqualTo(Map.of("p", "PT1M"));
        sink.recordAggregateData(bucket(Map.of("service", "a"), Duration.ofMinutes(1)));
        sink.close();
        assertThat(self.units).hasSize(1);
    }

    @Test
    void shouldUseMetricSafeSinkNames()
    {
        final PeriodicStatisticsSink sink = PeriodicStatisticsSink.createUnscheduled(
            MapSettings.of("name", "a.b/c"), context);
        sink.recordAggregateData(bucket(Map.of("service", "a"), Duration.ofSeconds(1)));
        sink.flush();
        assertThat(self.units.get(0).entry("sinks/periodic_statistics/a_b_c/aggregated_data")).isNotNull();
    }

    @Test
    void shouldBeRegisteredAndScheduleItsInterval()
    {
        final Sink sink = SinkType.create(MapSettings.of("type", "com.arpnetworking.tsdcore.sinks.PeriodicStatisticsSink",
            "name", "stats", "intervalInMilliseconds", 1), context);
        assertThat(sink).isInstanceOf(PeriodicStatisticsSink.class);
        assertThat(((PeriodicStatisticsSink)sink).intervalMs()).isEqualTo(1);
        sink.close();
    }

    @Test
    void shouldRejectInvalidConfigurationLikeMad()
    {
        assertThatThrownBy(() -> sink("intervalInMilliseconds", "0"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("intervalInMilliseconds: must be >= 1");
        assertThatThrownBy(() -> sink("mappedDimensions", Map.of("a", "x", "b", "x")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("target the same key name");
        assertThatThrownBy(() -> sink("dimensions", List.of("x"), "mappedDimensions", Map.of("a", "x")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("overlaps with (unmapped) dimensions");
        assertThatThrownBy(() -> sink("mappedDimensions", Map.of("a", "_period")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("overlap with periodDimensionName");
        assertThatThrownBy(() -> sink("dimensions", List.of("p"), "periodDimensionName", "p"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("dimensions: (unmapped) dimensions overlap");
        assertThatThrownBy(() -> sink("dimensions", List.of("a"), "defaultDimensionsValues", Map.of("b", "1")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("defaultDimensionsValues: default for 'b'");
        // Allowed: a default for a mapped source, and one source mapped twice (as itself and renamed).
        sink("dimensions", List.of("a"), "mappedDimensions", Map.of("a", "b"), "defaultDimensionsValues",
            Map.of("a", "1")).close();
    }
}
