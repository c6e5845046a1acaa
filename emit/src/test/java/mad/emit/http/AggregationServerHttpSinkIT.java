package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.arpnetworking.metrics.aggregation.protocol.Messages.StatisticRecord;
import com.arpnetworking.metrics.aggregation.protocol.Messages.StatisticSetRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.emit.Sink;
import mad.emit.TestData;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.stat.Statistic;

class AggregationServerHttpSinkIT
{
    private final HttpFacility http = HttpFacility.defaults();
    private final EmitContext context = new EmitContext("test", () -> 0L, http);
    private final TestServer server;

    AggregationServerHttpSinkIT() throws Exception
    {
        server = new TestServer();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
        http.close();
    }

    private AggregationServerHttpSink sink(final Object... extra)
    {
        final Object[] keys = new Object[extra.length + 6];
        keys[0] = "type";
        keys[1] = "com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink";
        keys[2] = "name";
        keys[3] = "cagg";
        keys[4] = "uri";
        keys[5] = server.uri();
        System.arraycopy(extra, 0, keys, 6, extra.length);
        final Sink sink = context.createSink(MapSettings.of(keys));
        return (AggregationServerHttpSink)sink;
    }

    /** Splits a body into its framed StatisticSetRecords, as CAGG's HttpSourceActor does (400 on leftovers). */
    static List<StatisticSetRecord> decodeAll(final byte[] body) throws Exception
    {
        final List<StatisticSetRecord> records = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.hasRemaining())
        {
            assertThat(buffer.remaining()).isGreaterThanOrEqualTo(5);
            final int length = buffer.getInt(buffer.position());
            assertThat(length).isBetween(5, buffer.remaining());
            assertThat(buffer.get(buffer.position() + 4)).isEqualTo((byte)0x04);
            records.add(StatisticSetRecord.parseFrom(
                Arrays.copyOfRange(body, buffer.position() + 5, buffer.position() + length)));
            buffer.position(buffer.position() + length);
        }
        return records;
    }

    private static PeriodicData counters(final int count)
    {
        final PeriodicData data = new PeriodicData();
        data.reset(Map.of("host", "h", "service", "s", "cluster", "c"), Duration.ofMinutes(1),
            TestData.MINUTE_START_MS, Long.MIN_VALUE);
        for (int i = 0; i < count; i++)
        {
            final AggregatedMetric counter = data.addMetric();
            counter.reset("m" + i, MetricType.COUNTER);
            counter.add(Statistic.COUNT, i + 1, Unit.NONE, true);
            counter.histogram(1, Unit.NONE);
            counter.bucketArray()[0] = 1.0;
            counter.bucketCountArray()[0] = i + 1;
        }
        return data;
    }

    private List<StatisticSetRecord> received(final int count) throws Exception
    {
        final List<StatisticSetRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final byte[] body = server.next();
            assertThat(body).isNotNull();
            assertThat(ByteBuffer.wrap(body).getInt()).isEqualTo(body.length);
            assertThat(body[4]).isEqualTo((byte)0x04);
            records.add(StatisticSetRecord.parseFrom(Arrays.copyOfRange(body, 5, body.length)));
        }
        return records;
    }

    @Test
    void shouldPostOneRecordPerMetric() throws Exception
    {
        final AggregationServerHttpSink sink = sink();
        final Map<String, String> dimensions = Map.of("host", "h", "service", "svc", "cluster", "cl");
        sink.recordAggregateData(TestData.timerAndCounter(dimensions, Duration.ofMinutes(1)));
        sink.close();

        final List<StatisticSetRecord> records = received(2);
        assertThat(server.contentTypes).containsOnly("application/protobuf");
        assertThat(records).extracting(StatisticSetRecord::getMetric).containsExactly("latency", "hits");
        final StatisticSetRecord hits = records.get(1);
        assertThat(hits.getService()).isEqualTo("svc");
        assertThat(hits.getCluster()).isEqualTo("cl");
        assertThat(hits.getPeriod()).isEqualTo("PT1M");
        assertThat(hits.getPeriodStart()).isEqualTo("2026-11-25T06:08Z");
        assertThat(hits.getDimensionsMap()).isEqualTo(dimensions);
        assertThat(hits.getStatisticsList()).extracting(StatisticRecord::getStatistic, StatisticRecord::getValue)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("sum", 6.0), org.assertj.core.groups.Tuple.tuple(
                "count", 3.0));
        assertThat(sink.accepted()).isEqualTo(2);
    }

    @Test
    void shouldRejectOnlyDataWithoutServiceOrCluster() throws Exception
    {
        final AggregationServerHttpSink sink = sink();
        sink.recordAggregateData(TestData.timerAndCounter(Map.of("host", "h", "cluster", "cl"), Duration.ofSeconds(1)));
        sink.recordAggregateData(TestData.timerAndCounter(Map.of("host", "h", "service", "s"), Duration.ofSeconds(1)));
        sink.recordAggregateData(TestData.timerAndCounter(
            Map.of("host", "h", "service", "s", "cluster", "c"), Duration.ofSeconds(1)));
        sink.close();

        assertThat(received(2)).extracting(StatisticSetRecord::getService).containsOnly("s");
        assertThat(server.bodies).isEmpty();
        assertThat(sink.rejectedMissingDimensions()).isEqualTo(2);
        assertThat(sink.accepted()).isEqualTo(2);
    }

    @Test
    void shouldPostBothTypesOfOneMetricName() throws Exception
    {
        final AggregationServerHttpSink sink = sink();
        final PeriodicData data = new PeriodicData();
        data.reset(Map.of("service", "s", "cluster", "c"), Duration.ofSeconds(1), TestData.MINUTE_START_MS,
            Long.MIN_VALUE);
        final AggregatedMetric timer = data.addMetric();
        timer.reset("x", MetricType.TIMER);
        timer.add(Statistic.COUNT, 1, Unit.NONE, true);
        final AggregatedMetric counter = data.addMetric();
        counter.reset("x", MetricType.COUNTER);
        counter.add(Statistic.COUNT, 2, Unit.NONE, true);
        sink.recordAggregateData(data);
        sink.close();

        assertThat(received(2)).extracting(r -> r.getStatistics(0).getValue()).containsExactly(1.0, 2.0);
    }

    @Test
    void shouldConcatenateUpToMaximumRecordsPerRequestOfOneBucket() throws Exception
    {
        final AggregationServerHttpSink sink = sink("maximumRecordsPerRequest", 2);
        sink.recordAggregateData(counters(5));
        sink.recordAggregateData(counters(1));
        sink.close();

        final List<List<String>> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final byte[] body = server.next();
            assertThat(body).isNotNull();
            bodies.add(decodeAll(body).stream().map(StatisticSetRecord::getMetric).toList());
        }
        // Bodies never span buckets: the second bucket's single record goes alone.
        assertThat(bodies).containsExactly(List.of("m0", "m1"), List.of("m2", "m3"), List.of("m4"), List.of("m0"));
        assertThat(server.bodies).isEmpty();
        assertThat(sink.accepted()).isEqualTo(4);
    }

    @Test
    void shouldPostOneRecordPerBodyByDefault() throws Exception
    {
        final AggregationServerHttpSink sink = sink();
        sink.recordAggregateData(counters(3));
        sink.close();

        for (int i = 0; i < 3; i++)
        {
            assertThat(decodeAll(server.next())).hasSize(1);
        }
        assertThat(server.bodies).isEmpty();
    }

    @Test
    void shouldAttachHistogramAndAskTheEngineToRetainIt() throws Exception
    {
        final EmitContext attaching = new EmitContext("test", () -> 0L, http);
        final AggregationServerHttpSink sink = (AggregationServerHttpSink)attaching.createSink(MapSettings.of(
            "type", "com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink", "name", "cagg", "uri", server.uri(),
            "attachHistogram", "true", "maximumRecordsPerRequest", 10));
        assertThat(attaching.histogramsRequired()).isTrue();
        assertThat(context.histogramsRequired()).isFalse();
        sink.recordAggregateData(counters(3));
        sink.close();

        final List<StatisticSetRecord> records = decodeAll(server.next());
        assertThat(records).hasSize(3);
        for (final StatisticSetRecord record : records)
        {
            assertThat(record.getStatisticsList()).extracting(StatisticRecord::getStatistic)
                .containsExactly("count", "histogram");
        }
    }

    @Test
    void shouldValidateCaggOptions()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink("maximumRecordsPerRequest", 0))
            .isInstanceOf(mad.engine.config.ConfigException.class).hasMessageContaining("maximumRecordsPerRequest");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink("histogramPrecision", 7))
            .isInstanceOf(mad.engine.config.ConfigException.class).hasMessageContaining("histogramPrecision");
        sink("histogramPrecision", 8).close();
    }
}
