package mad.emit.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
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

class TracingSinkTest
{
    private final long[] clock = {TestData.MINUTE_START_MS};
    private final RecordingSelfMetrics self = new RecordingSelfMetrics(() -> clock[0]);
    private final HttpFacility http = HttpFacility.defaults();
    private final EmitContext context = new EmitContext("test", () -> clock[0], http, self);

    @AfterEach
    void tearDown()
    {
        http.close();
    }

    private Sink sink(final Map<String, Object> patterns)
    {
        return SinkType.create(MapSettings.of("type", "com.arpnetworking.tsdcore.sinks.TracingSink",
            "name", "trace", "patterns", patterns), context);
    }

    @Test
    void shouldCountFullMatchesPerPatternAndRecordHits()
    {
        final Map<String, Object> patterns = new LinkedHashMap<>();
        patterns.put("all", ".*");
        patterns.put("lat", "lat");
        patterns.put("exact", "latency");
        final Sink sink = sink(patterns);

        sink.recordAggregateData(TestData.timerAndCounter(Map.of("service", "s"), Duration.ofMinutes(1)));

        assertThat(self.units).hasSize(2);
        final UnitOfWork all = self.units.get(0);
        assertThat(all.dimensions()).containsExactly(Map.entry("sink", "trace"), Map.entry("pattern", "all"));
        assertThat(all.entry(TracingSink.HIT_METRIC).kind()).isEqualTo(UnitOfWork.Kind.COUNTER);
        assertThat(all.entry(TracingSink.HIT_METRIC).samples()).containsExactly(2.0);
        final UnitOfWork exact = self.units.get(1);
        assertThat(exact.dimensions()).containsEntry("pattern", "exact");
        assertThat(exact.entry(TracingSink.HIT_METRIC).samples()).containsExactly(1.0);
        sink.close();
    }

    @Test
    void shouldRecordNothingWithoutAHit()
    {
        final Sink sink = sink(Map.of("none", "nothing.*"));

        sink.recordAggregateData(TestData.timerAndCounter(Map.of(), Duration.ofSeconds(1)));

        assertThat(self.units).isEmpty();
    }

    @Test
    void shouldRejectMissingOrInvalidPatterns()
    {
        assertThatThrownBy(() -> SinkType.create(MapSettings.of(
            "type", "com.arpnetworking.tsdcore.sinks.TracingSink", "name", "trace"), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("patterns");
        assertThatThrownBy(() -> sink(Map.of("bad", "(")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("patterns.bad");
    }
}
