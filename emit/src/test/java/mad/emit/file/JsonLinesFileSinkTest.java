package mad.emit.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mad.emit.MapSettings;
import mad.emit.Sink;
import mad.emit.TestData;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.stat.Statistic;

class JsonLinesFileSinkTest
{
    @TempDir
    Path directory;

    @Test
    void shouldAppendOneLinePerMetric() throws Exception
    {
        final Path file = directory.resolve("nested/out.jsonl");
        final Sink sink = TestData.context(new long[] {0}).createSink(MapSettings.of(
            "type", "madx.sinks.JsonLinesFileSink", "name", "file", "path", file.toString()));
        final Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("host", "h\"1");
        dimensions.put("service", "svc");
        sink.recordAggregateData(TestData.timerAndCounter(dimensions, Duration.ofMinutes(1)));

        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).containsExactly(
            "{\"period\":\"PT1M\",\"start\":\"2026-11-25T06:08Z\",\"dimensions\":{\"host\":\"h\\\"1\",\"service\":\"svc\"},"
                + "\"metric\":\"latency\",\"type\":\"TIMER\",\"statistics\":{"
                + "\"max\":{\"value\":0.3,\"unit\":\"SECOND\",\"user_specified\":true},"
                + "\"count\":{\"value\":3.0,\"unit\":\"\",\"user_specified\":false},"
                + "\"histogram\":{\"value\":0.0,\"unit\":\"\",\"user_specified\":false}},"
                + "\"histogram\":[[0.1,2],[0.298828125,1]]}",
            "{\"period\":\"PT1M\",\"start\":\"2026-11-25T06:08Z\",\"dimensions\":{\"host\":\"h\\\"1\",\"service\":\"svc\"},"
                + "\"metric\":\"hits\",\"type\":\"COUNTER\",\"statistics\":{"
                + "\"sum\":{\"value\":6.0,\"unit\":\"\",\"user_specified\":true},"
                + "\"count\":{\"value\":3.0,\"unit\":\"\",\"user_specified\":true}}}");
        sink.close();

        final Sink again = TestData.context(new long[] {0}).createSink(MapSettings.of(
            "type", "madx.sinks.JsonLinesFileSink", "name", "file", "path", file.toString()));
        again.recordAggregateData(TestData.timerAndCounter(dimensions, Duration.ofMinutes(1)));
        again.close();
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(4);
    }

    @Test
    void shouldWriteNonFiniteNumbersAsStrings()
    {
        final PeriodicData data = new PeriodicData();
        data.reset(Map.of(), Duration.ofSeconds(1), 0, Long.MIN_VALUE);
        final AggregatedMetric metric = data.addMetric();
        metric.reset("g", MetricType.GAUGE);
        metric.add(Statistic.MEAN, Double.NaN, Unit.KELVIN, true);
        metric.add(Statistic.MAX, Double.NEGATIVE_INFINITY, Unit.KELVIN, true);
        final StringBuilder out = new StringBuilder();

        JsonLinesFileSink.appendMetric(out, data, "1970-01-01T00:00Z", metric);

        assertThat(out.toString()).contains("\"mean\":{\"value\":\"NaN\"").contains("\"value\":\"-Infinity\"");
    }
}
