package mad.ingest.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mad.engine.config.ConfigException;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.ForwardingSampleWriter;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.ingest.WriterFactory;
import mad.ingest.decode.MapSettings;
import mad.ingest.decode.RecordingWriter;

class MappingWriterTest
{
    private final RecordingWriter recording = new RecordingWriter();
    private final WriterFactory inner = backpressure -> recording;

    @Test
    void shouldPassUnmatchedNamesThroughAndDropRequestTime()
    {
        final SampleWriter writer = mapping(Map.of("^nomatch$", List.of("x")));

        writeRecord(writer, 1000L, 250L, "a.b", MetricType.TIMER, 1.0, 2.0);

        assertThat(recording.records).hasSize(1);
        assertThat(recording.records.get(0).time).isEqualTo(1000L);
        assertThat(recording.records.get(0).requestTime).isEqualTo(SampleEvent.NO_REQUEST_TIME);
        assertThat(recording.records.get(0).dimensions).containsEntry("host", "h");
        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("a.b");
        assertThat(recording.metrics().get(0).values).containsExactly(1.0, 2.0);
        assertThat(recording.metrics().get(0).type).isEqualTo(MetricType.TIMER);
    }

    @Test
    void shouldReplaceWithGroupsOnOriginalName()
    {
        final SampleWriter writer = mapping(Map.of("^app\\.(\\w+)\\.latency$", List.of("latency.$1")));

        writeRecord(writer, 1L, 0L, "app.login.latency", MetricType.TIMER, 3.0);

        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("latency.login");
        assertThat(recording.metrics().get(0).values).containsExactly(3.0);
    }

    @Test
    void shouldDropMetricMappedToEmptyList()
    {
        final SampleWriter writer = mapping(Map.of("secret", List.of()));

        writer.beginRecord(1L, 2L);
        writer.dimension("host", "h");
        writer.endDimensions();
        writeMetric(writer, "my.secret.metric", MetricType.GAUGE, 1.0);
        writeMetric(writer, "public", MetricType.GAUGE, 2.0);

        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("public");
    }

    @Test
    void shouldApplyEveryMatchingPatternToTheOriginalNameAndFanOut()
    {
        final Map<String, List<String>> rules = new LinkedHashMap<>();
        rules.put("a", List.of("A", "first"));
        rules.put("^(b)\\.(c)$", List.of("$2.$1"));
        rules.put("zzz", List.of("never"));
        final SampleWriter writer = mapping(rules);

        writer.beginRecord(1L, 0L);
        writer.endDimensions();
        writer.beginMetric("ba.c", MetricType.GAUGE, Unit.SECOND);
        writer.sample(1.0);
        writer.clientStatistics(1.0, 5.0, 6.0, 2);
        writer.clientHistogramEntry(0x1234L, 2);
        writer.endMetric();

        // "a" matches (replaceAll on the original name), "^(b)\.(c)$" does not match "ba.c"
        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("bA.c", "bfirst.c");
        for (final RecordingWriter.Met metric : recording.metrics())
        {
            assertThat(metric.unit).isEqualTo(Unit.SECOND);
            assertThat(metric.values).containsExactly(1.0);
            assertThat(metric.statistics).hasSize(1);
            assertThat(metric.statistics.get(0)).containsExactly(1.0, 5.0, 6.0, 2.0);
            assertThat(metric.histogram).hasSize(1);
            assertThat(metric.histogram.get(0)).containsExactly(0x1234L, 2L);
        }
    }

    @Test
    void shouldNotChainPatterns()
    {
        final Map<String, List<String>> rules = new LinkedHashMap<>();
        rules.put("^x$", List.of("y"));
        rules.put("^y$", List.of("z"));
        final SampleWriter writer = mapping(rules);

        writeRecord(writer, 1L, 0L, "x", MetricType.COUNTER, 1.0);

        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("y");
    }

    @Test
    void shouldDiscardLaterMetricOfAnotherTypeOnTheSameNameWithinARecord()
    {
        final SampleWriter writer = mapping(Map.of("^old$", List.of("new")));

        writer.beginRecord(1L, 0L);
        writer.endDimensions();
        writeMetric(writer, "new", MetricType.COUNTER, 1.0);
        writeMetric(writer, "old", MetricType.GAUGE, 2.0);
        writeMetric(writer, "old", MetricType.COUNTER, 3.0);

        assertThat(recording.metrics()).extracting(m -> m.name + ":" + m.type + ":" + m.values)
            .containsExactly("new:COUNTER:[1.0]", "new:COUNTER:[3.0]");

        // a new record starts with no names taken
        writeRecord(writer, 2L, 0L, "old", MetricType.GAUGE, 4.0);
        assertThat(recording.records.get(1).metrics).extracting(m -> m.name + ":" + m.type)
            .containsExactly("new:GAUGE");
    }

    @Test
    void shouldServeRepeatedNamesFromCache()
    {
        final SampleWriter writer = mapping(Map.of("^(.*)$", List.of("p.$1")));
        for (int i = 0; i < 20_000; i++)
        {
            writeRecord(writer, i, 0L, "n" + (i % 7000), MetricType.GAUGE, i);
        }
        assertThat(recording.records).hasSize(20_000);
        assertThat(recording.records.get(19_999).metrics.get(0).name).isEqualTo("p.n" + (19_999 % 7000));
    }

    @Test
    void shouldKeepJavaReplaceAllQuirkOfEmptyMatchAtEnd()
    {
        // Java: "n1".replaceAll("(.*)", "p.$1") == "p.n1p." (the empty match at the end is replaced too), as in MAD
        writeRecord(mapping(Map.of("(.*)", List.of("p.$1"))), 1L, 0L, "n1", MetricType.GAUGE, 1.0);
        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("p.n1p.");
    }

    @Test
    void shouldReadFindAndReplaceFromSettings()
    {
        final WriterFactory factory = MappingWriter.create(
            new MapSettings().with("findAndReplace", Map.of("foo", List.of("bar"))), inner);
        writeRecord(factory.create(SamplePublisher.Backpressure.WAIT), 1L, 0L, "foo", MetricType.GAUGE, 1.0);
        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("bar");
    }

    @Test
    void shouldRejectMissingFindAndReplaceOrBadRegex()
    {
        assertThatThrownBy(() -> MappingWriter.create(new MapSettings(), inner))
            .isInstanceOf(ConfigException.class).hasMessageContaining("findAndReplace");
        assertThatThrownBy(() -> MappingWriter.create(
            new MapSettings().with("findAndReplace", Map.of("(", List.of("x"))), inner))
            .isInstanceOf(ConfigException.class).hasMessageContaining("findAndReplace");
    }

    @Test
    void shouldForwardBatchesButNeverOfferRepeatedDimensions()
    {
        final RepeatingWriter repeating = new RepeatingWriter(recording);
        final SampleWriter writer = MappingWriter.factory(backpressure -> repeating, Map.of("x", List.of("y")))
            .create(SamplePublisher.Backpressure.WAIT);

        writer.beginBatch(7);
        writeRecord(writer, 1L, 0L, "x", MetricType.GAUGE, 1.0);
        final long id = writer.dimensionsId();
        final int repeated = writer.beginRecordRepeating(2L, 0L, repeating.dimensionsId());
        writer.endBatch();

        assertThat(repeating.batchHints).containsExactly(7);
        assertThat(repeating.batchEnds).isEqualTo(1);
        assertThat(id).isEqualTo(PublishResult.NOT_REPEATABLE);
        assertThat(repeated).isEqualTo(PublishResult.NOT_REPEATABLE);
        assertThat(repeating.repeatCalls).isZero();
        assertThat(recording.records).hasSize(1);
        assertThat(recording.metrics()).extracting(m -> m.name).containsExactly("y");
    }

    /** A delegate that offers the repeat fast path and records the batch calls it gets. */
    private static final class RepeatingWriter extends ForwardingSampleWriter
    {
        private final List<Integer> batchHints = new java.util.ArrayList<>();
        private int batchEnds;
        private int repeatCalls;

        RepeatingWriter(final SampleWriter delegate)
        {
            super(delegate);
        }

        @Override
        public void beginBatch(final int expectedRecords)
        {
            batchHints.add(expectedRecords);
        }

        @Override
        public void endBatch()
        {
            batchEnds++;
        }

        @Override
        public long dimensionsId()
        {
            return 42L;
        }

        @Override
        public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
        {
            repeatCalls++;
            return PublishResult.OK;
        }
    }

    private SampleWriter mapping(final Map<String, List<String>> rules)
    {
        return MappingWriter.factory(inner, rules).create(SamplePublisher.Backpressure.WAIT);
    }

    private static void writeRecord(
        final SampleWriter writer, final long time, final long requestTime, final String name,
        final MetricType type, final double... values)
    {
        writer.beginRecord(time, requestTime);
        writer.dimension("host", "h");
        writer.endDimensions();
        writeMetric(writer, name, type, values);
    }

    private static void writeMetric(
        final SampleWriter writer, final String name, final MetricType type, final double... values)
    {
        final byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writer.beginMetric(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length, type, Unit.NONE);
        for (final double value : values)
        {
            writer.sample(value);
        }
        writer.endMetric();
    }
}
