package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.arpnetworking.metrics.prometheus.Remote;
import com.arpnetworking.metrics.prometheus.Types;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.compression.Snappy;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.CountingSampleWriter;
import mad.engine.sample.SampleEvent;
import mad.ingest.http.HttpBodyDecoder;

class PrometheusDecoderTest
{
    private static final long T0 = 1795586897000L;

    private final PrometheusDecoder decoder = new PrometheusDecoder(false);
    private final RecordingWriter writer = new RecordingWriter();

    @Test
    void shouldDecodeGoldenBodyLikeMad1201()
    {
        final byte[] body = resource("golden/prometheus.bin");

        assertThat(decode(decoder, body)).isEqualTo(HttpBodyDecoder.OK);

        assertThat(decoder.lastSampleCount()).isEqualTo(6);
        assertThat(writer.records).hasSize(6);
        final Map<String, String> dims = Map.of(
            "service", "golden_prom", "cluster", "golden_cluster", "host", "golden-host", "job", "node");
        assertRecord(0, T0 + 10, dims, "golden_prom_temperature_celcius", 21.5);
        assertRecord(1, T0 + 20, dims, "golden_prom_temperature_celcius", 22.5);
        assertRecord(2, T0 + 10, dims, "golden_prom_requests_total", 100.0);
        final Map<String, String> withLe = new java.util.TreeMap<>(dims);
        withLe.put("le", "0.5");
        assertRecord(3, T0 + 10, withLe, "golden_prom_latency_seconds_bucket", 5.0);
        assertRecord(4, T0 + 10, dims, "golden_prom_queue_bytes", 2048.0);
        assertRecord(5, T0 + 10, dims, "golden_prom_nan", Double.NaN);
        for (final RecordingWriter.Rec rec : writer.records)
        {
            assertThat(rec.requestTime).isEqualTo(SampleEvent.NO_REQUEST_TIME);
            assertThat(rec.metrics).hasSize(1);
            assertThat(rec.metrics.get(0).type).isEqualTo(MetricType.GAUGE);
            assertThat(rec.metrics.get(0).unit).isEqualTo(Unit.NONE);
        }
    }

    @Test
    void shouldAcceptSeriesWithoutServiceOrClusterLabels()
    {
        assertThat(decode(decoder, resource("golden/prometheus-negative.bin"))).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records).hasSize(1);
        assertThat(writer.records.get(0).dimensions).containsExactly(Map.entry("job", "node"));
        assertThat(writer.records.get(0).metrics.get(0).name).isEqualTo("golden_negative_prom_unlabelled");
    }

    @Test
    void shouldRoundTripNettyEncodedBodyWithRepeats()
    {
        final Remote.WriteRequest.Builder request = Remote.WriteRequest.newBuilder();
        for (int i = 0; i < 50; i++)
        {
            request.addTimeseries(series("repeated_metric_name_" + (i % 3), T0 + i, i, "host", "h", "job", "j"));
        }

        assertThat(decode(decoder, snappy(request.build().toByteArray()))).isEqualTo(HttpBodyDecoder.OK);

        assertThat(writer.records).hasSize(50);
        assertThat(writer.records.get(49).metrics.get(0).name).isEqualTo("repeated_metric_name_1");
        assertThat(writer.records.get(49).metrics.get(0).values).containsExactly(49.0);
    }

    @Test
    void shouldTrimNameAndUseLastNameLabel()
    {
        final Types.TimeSeries series = series("ignored", T0, 1, "__name__", "  spaced\t");
        assertThat(decode(decoder, request(series))).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records.get(0).metrics.get(0).name).isEqualTo("spaced");
        assertThat(writer.records.get(0).dimensions).isEmpty();
    }

    @Test
    void shouldAcceptEmptyWriteRequest()
    {
        assertThat(decode(decoder, new byte[] {0})).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.records).isEmpty();
    }

    @Test
    void shouldRejectEmptyBody()
    {
        assertBadRequest(new byte[0], "snappy");
    }

    @Test
    void shouldRejectBodyThatIsNotSnappy()
    {
        // plain protobuf: its first byte (0x0A) announces 10 bytes, which is not what the tags produce
        assertBadRequest(plain(series("a", T0, 1)), "snappy");
        assertBadRequest("{\"json\":true}".getBytes(), "snappy");
    }

    @Test
    void shouldRejectTruncatedSnappyStream()
    {
        final byte[] body = resource("golden/prometheus.bin");
        assertBadRequest(Arrays.copyOf(body, body.length - 5), "snappy");
    }

    @Test
    void shouldRejectTruncatedProtobuf()
    {
        final byte[] raw = plain(series("a", T0, 1, "host", "h"));
        assertBadRequest(snappy(Arrays.copyOf(raw, raw.length - 3)), "Request message");
    }

    @Test
    void shouldRejectSeriesWithoutName()
    {
        final Types.TimeSeries noName = Types.TimeSeries.newBuilder()
            .addLabels(label("host", "h"))
            .addSamples(Types.Sample.newBuilder().setValue(1).setTimestamp(T0))
            .build();
        assertBadRequest(request(series("valid", T0, 1), noName), "empty name");
    }

    @Test
    void shouldRejectSeriesWithBlankName()
    {
        assertBadRequest(request(series("x", T0, 1, "__name__", " \t ")), "empty name");
    }

    @Test
    void shouldRejectSeriesWithoutNameEvenWithoutSamples()
    {
        final Types.TimeSeries noName = Types.TimeSeries.newBuilder().addLabels(label("host", "h")).build();
        assertBadRequest(request(noName), "empty name");
    }

    @Test
    void shouldRejectDuplicateLabelAndPublishNothing()
    {
        assertBadRequest(request(series("valid", T0, 1), series("dup", T0, 1, "host", "a", "host", "b")),
            "duplicate label");
    }

    @Test
    void shouldRejectInvalidUtf8LabelLikeProtobufJava()
    {
        final byte[] raw = plain(series("a", T0, 1, "host", "zz"));
        final int at = indexOf(raw, new byte[] {'z', 'z'});
        raw[at] = (byte)0xC3;
        raw[at + 1] = (byte)0x28;
        assertBadRequest(snappy(raw), "Request message");
    }

    @Test
    void shouldCheckUtf8LikeAStrictDecoderWhereverTheNonAsciiBytesAre()
    {
        final java.util.Random random = new java.util.Random(42);
        final byte[][] pieces = {
            {(byte)0xC3, (byte)0xA9}, {(byte)0xE2, (byte)0x82, (byte)0xAC}, {(byte)0xF0, (byte)0x9F, (byte)0x98,
            (byte)0x80}, {(byte)0xC0, (byte)0x80}, {(byte)0xED, (byte)0xA0, (byte)0x80}, {(byte)0xF4, (byte)0x90,
            (byte)0x80, (byte)0x80}, {(byte)0x80}, {(byte)0xC3}, {(byte)0xFF}};
        for (int round = 0; round < 5_000; round++)
        {
            final byte[] bytes = new byte[3 + random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)('a' + random.nextInt(26));
            }
            if (random.nextInt(4) != 0)
            {
                // Anywhere, including across the 8-byte ASCII steps and cut short by the end.
                final byte[] piece = pieces[random.nextInt(pieces.length)];
                final int at = random.nextInt(bytes.length);
                System.arraycopy(piece, 0, bytes, at, Math.min(piece.length, bytes.length - at));
            }
            final int from = random.nextInt(3);
            final int length = bytes.length - from - random.nextInt(bytes.length - from + 1);
            boolean strict = true;
            try
            {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, from, length));
            }
            catch (final java.nio.charset.CharacterCodingException ex)
            {
                strict = false;
            }
            assertThat(PrometheusDecoder.isValidUtf8(new UnsafeBuffer(bytes), from, length))
                .as("%s from %d length %d", Arrays.toString(bytes), from, length).isEqualTo(strict);
        }
    }

    @Test
    void shouldAnswerUnavailableWhenRingIsFull()
    {
        writer.fullAfter(1);
        assertThat(decode(decoder, request(series("a", T0, 1), series("b", T0, 2)))).isEqualTo(
            HttpBodyDecoder.UNAVAILABLE);
    }

    @Test
    void shouldInterpretUnitsWithMad1201RulesWhenEnabled()
    {
        final PrometheusDecoder units = new PrometheusDecoder(true);
        final byte[] body = request(
            series("foo_seconds_total", T0, 2),
            series("temp_celcius", T0, 20),
            series("net_bits", T0, 16),
            series("seconds_total", T0, 1),
            series("foo_bar", T0, 3),
            series("mem_bytes_sum_count", T0, 4));

        assertThat(decode(units, body)).isEqualTo(HttpBodyDecoder.OK);

        assertMetric(0, "foo_total", Unit.SECOND, 2.0);
        assertMetric(1, "temp", Unit.KELVIN, 20 + 273.15);
        assertMetric(2, "net", Unit.BYTE, 2.0);
        assertMetric(3, "total", Unit.SECOND, 1.0);
        assertMetric(4, "foo_bar", Unit.NONE, 3.0);
        assertMetric(5, "mem_sum_count", Unit.BYTE, 4.0);
    }

    @Test
    void shouldRejectNameThatIsOnlyAUnitWhenInterpretingUnits()
    {
        final PrometheusDecoder units = new PrometheusDecoder(true);
        assertThat(decode(units, request(series("seconds", T0, 1)))).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(writer.records).isEmpty();
    }

    @Test
    void shouldIgnoreInterpretUnitsSettingLikeMad1201()
    {
        final HttpBodyDecoder configured = PrometheusDecoder.create(
            new MapSettings().with("interpretUnits", true).with("outputDebugFiles", true)).get();

        assertThat(configured.decode(new UnsafeBuffer(request(series("foo_seconds", T0, 2))), 0,
            request(series("foo_seconds", T0, 2)).length, null, writer)).isEqualTo(HttpBodyDecoder.OK);

        assertMetric(0, "foo_seconds", Unit.NONE, 2.0);
    }

    @Test
    void shouldNotAllocateWhileDecoding()
    {
        final Remote.WriteRequest.Builder request = Remote.WriteRequest.newBuilder();
        for (int i = 0; i < 100; i++)
        {
            final Types.TimeSeries.Builder series = series("metric_" + i, T0, i, "host", "h", "service", "s",
                "cluster", "c").toBuilder();
            for (int s = 1; s < 10; s++)
            {
                series.addSamples(Types.Sample.newBuilder().setValue(s).setTimestamp(T0 + s));
            }
            request.addTimeseries(series);
        }
        final byte[] bytes = snappy(request.build().toByteArray());
        final UnsafeBuffer body = new UnsafeBuffer(bytes);
        final CountingSampleWriter noOp = new CountingSampleWriter();
        for (int i = 0; i < 2_000; i++)
        {
            decoder.decode(body, 0, bytes.length, null, noOp);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        final long samplesBefore = noOp.samples();
        for (int i = 0; i < 1_000; i++)
        {
            decoder.decode(body, 0, bytes.length, null, noOp);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        final long samples = noOp.samples() - samplesBefore;

        assertThat(samples).isEqualTo(1_000_000);
        assertThat((double)allocated / samples).isLessThan(1.0);
    }

    private int decode(final HttpBodyDecoder target, final byte[] body)
    {
        // Offset the body inside a larger buffer to prove offsets are honoured.
        final byte[] padded = new byte[body.length + 7];
        System.arraycopy(body, 0, padded, 3, body.length);
        return target.decode(new UnsafeBuffer(padded), 3, body.length, null, writer);
    }

    private void assertBadRequest(final byte[] body, final String reason)
    {
        assertThat(decode(decoder, body)).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).contains(reason);
        assertThat(writer.records).isEmpty();
    }

    private void assertRecord(
        final int index, final long time, final Map<String, String> dims, final String name, final double value)
    {
        final RecordingWriter.Rec rec = writer.records.get(index);
        assertThat(rec.time).isEqualTo(time);
        assertThat(rec.dimensions).isEqualTo(dims);
        assertThat(rec.metrics.get(0).name).isEqualTo(name);
        assertThat(rec.metrics.get(0).values).containsExactly(value);
    }

    private void assertMetric(final int index, final String name, final Unit unit, final double value)
    {
        final RecordingWriter.Met metric = writer.records.get(index).metrics.get(0);
        assertThat(metric.name).isEqualTo(name);
        assertThat(metric.unit).isEqualTo(unit);
        assertThat(metric.values).containsExactly(value);
    }

    static Types.TimeSeries series(final String name, final long time, final double value, final String... labels)
    {
        final Types.TimeSeries.Builder builder = Types.TimeSeries.newBuilder().addLabels(label("__name__", name));
        for (int i = 0; i < labels.length; i += 2)
        {
            builder.addLabels(label(labels[i], labels[i + 1]));
        }
        return builder.addSamples(Types.Sample.newBuilder().setValue(value).setTimestamp(time)).build();
    }

    private static Types.Label label(final String name, final String value)
    {
        return Types.Label.newBuilder().setName(name).setValue(value).build();
    }

    private static byte[] plain(final Types.TimeSeries... series)
    {
        final Remote.WriteRequest.Builder builder = Remote.WriteRequest.newBuilder();
        for (final Types.TimeSeries s : series)
        {
            builder.addTimeseries(s);
        }
        return builder.build().toByteArray();
    }

    static byte[] request(final Types.TimeSeries... series)
    {
        return snappy(plain(series));
    }

    static byte[] snappy(final byte[] raw)
    {
        final ByteBuf in = Unpooled.wrappedBuffer(raw);
        final ByteBuf out = Unpooled.buffer();
        new Snappy().encode(in, out, raw.length);
        final byte[] compressed = new byte[out.readableBytes()];
        out.readBytes(compressed);
        return compressed;
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] resource(final String name)
    {
        try (InputStream in = PrometheusDecoderTest.class.getClassLoader().getResourceAsStream(name))
        {
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
