package mad.emit.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.emit.Sink;
import mad.emit.TestData;
import mad.engine.config.ConfigException;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;

class DecoratingSinksTest
{
    private final long[] clock = {TestData.MINUTE_START_MS};
    private final EmitContext context = TestData.context(clock);

    private static PeriodicData bucket(final Duration period, final Map<String, String> dimensions)
    {
        final PeriodicData data = new PeriodicData();
        data.reset(dimensions, period, TestData.MINUTE_START_MS, SampleEvent.NO_REQUEST_TIME);
        return data;
    }

    private static void feed(final Sink sink, final Duration... periods)
    {
        for (final Duration period : periods)
        {
            sink.recordAggregateData(bucket(period, Map.of()));
        }
    }

    @Test
    void shouldPassEverythingWithoutRules()
    {
        final RecordingSink inner = new RecordingSink();
        final PeriodFilteringSink sink = new PeriodFilteringSink(inner, List.of(), List.of(), null, null);
        feed(sink, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofDays(1));
        assertThat(inner.periods).containsExactly(1_000L, 60_000L, 86_400_000L);
    }

    @Test
    void shouldApplyIncludeBeforeExcludeBeforeThresholds()
    {
        final RecordingSink inner = new RecordingSink();
        // include PT1S beats both exclude PT1S and excludeLessThan PT1M; exclude PT5M drops within range;
        // PT1H passes (not > PT1H); PT2H is above excludeGreaterThan.
        final PeriodFilteringSink sink = new PeriodFilteringSink(inner,
            List.of(Duration.ofSeconds(1), Duration.ofHours(2)), List.of(Duration.ofSeconds(1), Duration.ofMinutes(5)),
            Duration.ofMinutes(1), Duration.ofHours(1));
        feed(sink, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofSeconds(1));
        assertThat(inner.periods).containsExactly(1_000L, 60_000L, 3_600_000L, 7_200_000L, 1_000L);
    }

    @Test
    void shouldCacheDecisionsForManyPeriods()
    {
        final RecordingSink inner = new RecordingSink();
        final PeriodFilteringSink sink = new PeriodFilteringSink(inner, List.of(), List.of(), Duration.ofSeconds(5),
            null);
        for (int round = 0; round < 2; round++)
        {
            for (int s = 1; s <= 10; s++)
            {
                assertThat(sink.passes(s * 1000L)).isEqualTo(s >= 5);
            }
        }
    }

    @Test
    void shouldBuildPeriodFilterFromSettingsAndCloseInner()
    {
        final Sink sink = context.createSink(MapSettings.of("type", "com.arpnetworking.tsdcore.sinks.PeriodFilteringSink",
            "name", "pf", "include", List.of("PT1S"), "excludeLessThan", "PT1M",
            "sink", Map.of("type", "com.arpnetworking.tsdcore.sinks.MultiSink", "name", "m", "sinks", List.of())));
        assertThat(sink).isInstanceOf(PeriodFilteringSink.class);
        sink.close();
    }

    @Test
    void shouldRejectBadDurationInList()
    {
        assertThatThrownBy(() -> PeriodFilteringSink.create(MapSettings.of("name", "pf", "include", List.of("1 minute"),
            "sink", Map.of()), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("sink.include");
    }

    @Test
    void shouldFanOutInOrderAndCloseAll()
    {
        final List<String> order = new ArrayList<>();
        final RecordingSink first = new RecordingSink("a", order);
        final Sink failing = new Sink()
        {
            @Override
            public void recordAggregateData(final PeriodicData data)
            {
                throw new IllegalStateException("boom");
            }

            @Override
            public void close()
            {
                throw new IllegalStateException("boom");
            }
        };
        final RecordingSink second = new RecordingSink("b", order);
        final MultiSink sink = new MultiSink("m", List.of(first, failing, second), context);

        sink.recordAggregateData(bucket(Duration.ofSeconds(1), Map.of()));
        sink.recordAggregateData(bucket(Duration.ofSeconds(1), Map.of()));
        sink.close();

        assertThat(order).containsExactly("a", "b", "a", "b");
        assertThat(first.closed).isTrue();
        assertThat(second.closed).isTrue();
    }

    @Test
    void shouldInjectDefaultsThenOwnThenOverrides()
    {
        final RecordingSink inner = new RecordingSink();
        final DimensionInjectingSink sink = new DimensionInjectingSink(inner,
            Map.of("cluster", "default", "service", "default"), Map.of("host", "forced"));

        sink.recordAggregateData(bucket(Duration.ofSeconds(1), Map.of("service", "own", "host", "h1")));
        sink.close();

        assertThat(inner.dimensions.get(0)).isEqualTo(Map.of("cluster", "default", "service", "own", "host", "forced"));
        assertThat(inner.closed).isTrue();
    }

    @Test
    void shouldDropStaleDataUnlessExcludedOrLogOnly()
    {
        final RecordingSink inner = new RecordingSink();
        final TimeThresholdSink sink = new TimeThresholdSink("tt", inner, Duration.ofSeconds(30), Set.of("vip"), false,
            context);
        final Duration minute = Duration.ofMinutes(1);

        clock[0] = TestData.MINUTE_START_MS + 60_000 + 29_999;
        sink.recordAggregateData(bucket(minute, Map.of("service", "s")));
        clock[0] = TestData.MINUTE_START_MS + 60_000 + 30_000;
        sink.recordAggregateData(bucket(minute, Map.of("service", "s")));
        sink.recordAggregateData(bucket(minute, Map.of("service", "vip")));
        sink.recordAggregateData(bucket(minute, Map.of("host", "no-service")));

        assertThat(inner.dimensions).containsExactly(Map.of("service", "s"), Map.of("service", "vip"));
        assertThat(sink.dropped()).isEqualTo(1);
        assertThat(sink.droppedWithoutService()).isEqualTo(1);

        final RecordingSink logged = new RecordingSink();
        final TimeThresholdSink logOnly = new TimeThresholdSink("tt", logged, Duration.ZERO, Set.of(), true, context);
        logOnly.recordAggregateData(bucket(minute, Map.of("service", "s")));
        assertThat(logged.dimensions).hasSize(1);
    }

    @Test
    void shouldRequireThreshold()
    {
        assertThatThrownBy(() -> TimeThresholdSink.create(MapSettings.of("name", "t", "sink", Map.of()), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("threshold");
    }
}
