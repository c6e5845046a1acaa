package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.SampleEvent;
import mad.ingest.http.HttpBodyDecoder;

class CollectdJsonDecoderTest
{
    private static final long TIME_MS = 1795586897100L;
    private static final String OBJECT_TAIL =
        ",\"time\":1.7955868971E9,\"host\":\"h\",\"plugin\":\"p\",\"plugin_instance\":\"\",\"type\":\"t\","
            + "\"type_instance\":\"\"}";

    private final CollectdJsonDecoder decoder = new CollectdJsonDecoder();
    private final RecordingWriter writer = new RecordingWriter();
    private final HttpHeaders headers = new DefaultHttpHeaders()
        .add("X-TAG-SERVICE", "golden_collectd")
        .add("X-TAG-CLUSTER", "golden_cluster");

    @Test
    void shouldDecodeGoldenBodyLikeMad1201()
    {
        assertThat(decode(golden("golden/collectd.json"))).isEqualTo(HttpBodyDecoder.OK);

        assertThat(writer.records).hasSize(3);
        final Map<String, String> dims =
            Map.of("service", "golden_collectd", "cluster", "golden_cluster", "host", "golden-host");
        for (final RecordingWriter.Rec rec : writer.records)
        {
            assertThat(rec.time).isEqualTo(TIME_MS);
            assertThat(rec.requestTime).isEqualTo(SampleEvent.NO_REQUEST_TIME);
            assertThat(rec.dimensions).isEqualTo(dims);
        }
        assertMetric(0, 0, "cpu/0/cpu/user", MetricType.COUNTER, 1234.5);
        assertMetric(1, 0, "load/load/shortterm", MetricType.GAUGE, 0.5);
        assertMetric(1, 1, "load/load/midterm", MetricType.GAUGE, 0.4);
        assertMetric(1, 2, "load/load/longterm", MetricType.GAUGE, 0.3);
        assertMetric(2, 0, "interface/eth0/if_octets/rx", MetricType.COUNTER, 100.0);
        assertMetric(2, 1, "interface/eth0/if_octets/tx", MetricType.COUNTER, 200.0);
        assertThat(decoder.lastSampleCount()).isEqualTo(6);
    }

    @Test
    void shouldRejectGoldenNullValueWithNothingWritten()
    {
        assertBadRequest(golden("golden/collectd-null.json"));
    }

    @Test
    void shouldAcceptEmptyArray()
    {
        assertThat(decode("[]")).isEqualTo(HttpBodyDecoder.OK);
        assertThat(decode(" [ ] \n")).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records).isEmpty();
    }

    @Test
    void shouldRejectEmptyBodyObjectAndInvalidJson()
    {
        assertBadRequest("");
        assertBadRequest("{\"values\":[1]}");
        assertBadRequest("[{\"values\":[1]");
        assertBadRequest("not json");
        assertBadRequest("[1]");
        assertBadRequest("[] []");
    }

    @Test
    void shouldRejectLengthMismatchWithNothingWritten()
    {
        assertBadRequest("[{\"values\":[1],\"dstypes\":[\"gauge\"],\"dsnames\":[\"a\"]" + OBJECT_TAIL + ","
            + "{\"values\":[1,2],\"dstypes\":[\"gauge\"],\"dsnames\":[\"a\",\"b\"]" + OBJECT_TAIL + "]");
        assertBadRequest("[{\"values\":[1],\"dsnames\":[\"a\"]" + OBJECT_TAIL + "]");
        assertBadRequest("[{\"values\":null,\"dstypes\":[],\"dsnames\":[]" + OBJECT_TAIL + "]");
    }

    @Test
    void shouldRejectMissingOrNullRequiredField()
    {
        for (final String field : new String[] {"host", "plugin", "plugin_instance", "type", "type_instance", "time"})
        {
            final String json = "[{\"values\":[1],\"dstypes\":[\"gauge\"],\"dsnames\":[\"a\"]" + OBJECT_TAIL + "]";
            assertBadRequest(json.replaceFirst("\"" + field + "\":[^,}]*", "\"" + field + "\":null"));
            assertBadRequest(json.replaceFirst(",\"" + field + "\":[^,}]*", ""));
        }
    }

    @Test
    void shouldAcceptObjectWithAllArraysNullOrAbsent()
    {
        assertThat(decode("[{\"values\":null,\"dstypes\":null,\"dsnames\":null" + OBJECT_TAIL + "]"))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(decode("[{\"interval\":10" + OBJECT_TAIL + "]")).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records).isEmpty();
    }

    @Test
    void shouldAcceptNanAndInfinityLiterals()
    {
        assertThat(decode("[{\"values\":[NaN,Infinity,-Infinity],\"dstypes\":[\"gauge\",\"gauge\",\"gauge\"],"
            + "\"dsnames\":[\"a\",\"b\",\"c\"]" + OBJECT_TAIL + "]")).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.metrics()).extracting(m -> m.values.get(0))
            .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @Test
    void shouldLetObjectHostOverrideTagHeaderAndLowerCaseTagNames()
    {
        headers.add("X-Tag-Host", "from-header").add("x-tag-Region", "eu").add("Other", "x");
        assertThat(decode("[{\"values\":[1],\"dstypes\":[\"gauge\"],\"dsnames\":[\"value\"]" + OBJECT_TAIL + "]"))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records.get(0).dimensions).isEqualTo(Map.of(
            "service", "golden_collectd", "cluster", "golden_cluster", "host", "h", "region", "eu"));
        assertThat(writer.records.get(0).metrics.get(0).name).isEqualTo("p/t");
    }

    @Test
    void shouldMapDsTypes()
    {
        assertThat(decode("[{\"values\":[1,2,3,4,5],\"dstypes\":[\"gauge\",\"counter\",\"derive\",\"absolute\","
            + "\"other\"],\"dsnames\":[\"a\",\"b\",\"c\",\"d\",\"e\"]" + OBJECT_TAIL + "]"))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.metrics()).extracting(m -> m.type).containsExactly(
            MetricType.GAUGE, MetricType.COUNTER, MetricType.COUNTER, MetricType.COUNTER, MetricType.GAUGE);
        assertThat(writer.metrics()).extracting(m -> m.unit).containsOnly(Unit.NONE);
    }

    @Test
    void shouldMergeSameNameAndCollapseIdenticalSamples()
    {
        // "value" and "" both name the metric p/t; (gauge, 1) twice collapses; (counter, 1) is another set member
        assertThat(decode("[{\"values\":[1,1,2,1],\"dstypes\":[\"gauge\",\"gauge\",\"gauge\",\"counter\"],"
            + "\"dsnames\":[\"value\",\"\",\"value\",\"value\"]" + OBJECT_TAIL + "]")).isEqualTo(HttpBodyDecoder.OK);

        assertThat(writer.metrics()).hasSize(1);
        final RecordingWriter.Met metric = writer.metrics().get(0);
        assertThat(metric.name).isEqualTo("p/t");
        assertThat(metric.type).isEqualTo(MetricType.GAUGE);
        assertThat(metric.values).containsExactly(1.0, 2.0, 1.0);
    }

    @Test
    void shouldCoerceScalarsLikeJackson()
    {
        assertThat(decode("[{\"values\":[\"2.5\"],\"dstypes\":[\"gauge\"],\"dsnames\":[7],\"time\":\"1.5\","
            + "\"host\":12,\"plugin\":true,\"plugin_instance\":\"\",\"type\":\"t\",\"type_instance\":\"\","
            + "\"meta\":{\"a\":[1,{}]}}]")).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records.get(0).time).isEqualTo(1500L);
        assertThat(writer.records.get(0).dimensions).containsEntry("host", "12");
        assertMetric(0, 0, "true/t/7", MetricType.GAUGE, 2.5);
    }

    @Test
    void shouldAnswerUnavailableWhenRingIsFull()
    {
        writer.fullAfter(2);
        assertThat(decode(golden("golden/collectd.json"))).isEqualTo(HttpBodyDecoder.UNAVAILABLE);
    }

    @Test
    void shouldDecodeFromDirectBuffer()
    {
        final byte[] bytes = golden("golden/collectd.json").getBytes(StandardCharsets.UTF_8);
        final java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(bytes.length + 4);
        direct.position(4);
        direct.put(bytes);
        assertThat(decoder.decode(new UnsafeBuffer(direct), 4, bytes.length, headers, writer))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.metrics()).hasSize(6);
    }

    private int decode(final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final byte[] padded = new byte[bytes.length + 6];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        return decoder.decode(new UnsafeBuffer(padded, 1, padded.length - 1), 1, bytes.length, headers, writer);
    }

    private void assertBadRequest(final String body)
    {
        assertThat(decode(body)).as(body).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).startsWith("Error parsing collectd json");
        assertThat(writer.records).isEmpty();
    }

    private void assertMetric(
        final int record, final int index, final String name, final MetricType type, final double value)
    {
        final RecordingWriter.Met metric = writer.records.get(record).metrics.get(index);
        assertThat(metric.name).isEqualTo(name);
        assertThat(metric.type).isEqualTo(type);
        assertThat(metric.values).containsExactly(value);
    }

    private static String golden(final String name)
    {
        final String text = new String(PrometheusDecoderTest.resource(name), StandardCharsets.UTF_8);
        // first line is the "# headers: ..." note written by GoldenFeed
        return text.substring(text.indexOf('\n') + 1);
    }
}
