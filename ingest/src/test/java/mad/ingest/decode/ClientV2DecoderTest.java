package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.inscopemetrics.client.protocol.ClientV2;

import io.netty.handler.codec.http.EmptyHttpHeaders;
import mad.engine.model.InputUnit;
import mad.ingest.http.HttpBodyDecoder;

class ClientV2DecoderTest
{
    private final ClientV2Decoder decoder = new ClientV2Decoder();
    private final CallRecordingWriter writer = new CallRecordingWriter();

    static ClientV2.Quantity value(final double value)
    {
        return ClientV2.Quantity.newBuilder().setDoubleValue(value).build();
    }

    static ClientV2.Quantity value(
        final long value, final ClientV2.Unit.Type.Value type, final ClientV2.Unit.Scale.Value scale)
    {
        final ClientV2.Unit.Builder unit = ClientV2.Unit.newBuilder();
        if (type != null)
        {
            unit.setType(type);
        }
        if (scale != null)
        {
            unit.setScale(scale);
        }
        return ClientV2.Quantity.newBuilder().setLongValue(value)
            .setUnit(ClientV2.CompoundUnit.newBuilder().addNumerator(unit)).build();
    }

    static ClientV2.MetricEntry metric(final String name, final ClientV2.Quantity... samples)
    {
        return ClientV2.MetricEntry.newBuilder().setName(name).addAllSamples(Arrays.asList(samples)).build();
    }

    static ClientV2.Record.Builder record()
    {
        return ClientV2.Record.newBuilder()
            .setId(ByteString.copyFrom(new byte[16]))
            .setEndMillisSinceEpoch(2000)
            .addDimensions(ClientV2.DimensionEntry.newBuilder().setName("host").setValue("h"));
    }

    private int decode(final byte[] body)
    {
        writer.clear();
        return decoder.decode(new UnsafeBuffer(body), 0, body.length, EmptyHttpHeaders.INSTANCE, writer);
    }

    private int decode(final ClientV2.Record.Builder record)
    {
        return decode(ClientV2.RecordSet.newBuilder().addRecords(record).build().toByteArray());
    }

    @Test
    void shouldDecodeGoldenInput() throws IOException
    {
        assertThat(decode(ClientV3DecoderTest.resource("/golden/v2.bin"))).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 1795586897150 -", "dim host=golden-host", "dim service=golden_v2", "dim cluster=golden_cluster",
            "endDims",
            "metric golden.v2.gauge GAUGE NONE", "sample 0.25", "sample 0.75", "end",
            "metric golden.v2.counter COUNTER NONE", "sample 1.0", "sample 2.0", "sample 3.5", "end",
            "metric golden.v2.timer TIMER SECOND",
            "sample " + InputUnit.MILLISECOND.normalise(10), "sample " + InputUnit.MILLISECOND.normalise(20),
            "sample 1.0", "end");
        assertThat(decoder.lastSampleCount()).isEqualTo(8);
    }

    @Test
    void shouldRejectEmptyRequest()
    {
        // COMPAT.md D11: MAD answers 200 to a request without records.
        assertThat(decode(new byte[0])).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.EMPTY_REQUEST);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldRejectJson()
    {
        assertThat(decode("{\"records\":[{\"id\":\"x\"}]}".getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo("body is not a valid ClientV2 RecordSet protobuf");
    }

    @Test
    void shouldRejectUnitsMadDoesNotKnow()
    {
        assertThat(decode(record().addGauges(
            metric("g", value(1, ClientV2.Unit.Type.Value.BYTE, ClientV2.Unit.Scale.Value.KIBI)))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.UNKNOWN_UNIT);
        assertThat(decode(record().addGauges(metric("g", value(1, ClientV2.Unit.Type.Value.CELSIUS, null)))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decode(record().addGauges(
            metric("g", value(1, ClientV2.Unit.Type.Value.MINUTE, ClientV2.Unit.Scale.Value.MILLI)))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldSynthesiseUnitNames()
    {
        assertThat(decode(record()
            .addTimers(metric("bare", value(2, ClientV2.Unit.Type.Value.SECOND, null)))
            .addGauges(metric("unknownType", value(3, ClientV2.Unit.Type.Value.UNKNOWN, ClientV2.Unit.Scale.Value.MILLI)))
            .addGauges(metric("kb", value(2, ClientV2.Unit.Type.Value.BYTE, ClientV2.Unit.Scale.Value.KILO)))
            .addGauges(metric("kbit", value(1, ClientV2.Unit.Type.Value.BIT, ClientV2.Unit.Scale.Value.KILO)))
            .addGauges(metric("f", value(32, ClientV2.Unit.Type.Value.FAHRENHEIT, ClientV2.Unit.Scale.Value.UNIT)))))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 2000 -", "dim host=h", "endDims",
            "metric unknownType GAUGE NONE", "sample 3.0", "end",
            "metric kb GAUGE BYTE", "sample 2000.0", "end",
            "metric kbit GAUGE BYTE", "sample 128.0", "end",
            "metric f GAUGE KELVIN", "sample " + InputUnit.FAHRENHEIT.normalise(32), "end",
            // the generated encoder writes fields in number order: gauges (3) before timers (5)
            "metric bare TIMER SECOND", "sample 2.0", "end");
    }

    @Test
    void shouldSkipSamplesWithoutValueAndTheirUnits()
    {
        final ClientV2.Quantity noValue = ClientV2.Quantity.newBuilder().setUnit(ClientV2.CompoundUnit.newBuilder()
            .addNumerator(ClientV2.Unit.newBuilder().setType(ClientV2.Unit.Type.Value.CELSIUS))).build();
        assertThat(decode(record().addCounters(metric("c", noValue, value(4))).addCounters(metric("empty"))))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 2000 -", "dim host=h", "endDims", "metric c COUNTER NONE", "sample 4.0", "end");
    }

    @Test
    void shouldStartANewMetricWhenTheNormalisedUnitChanges()
    {
        assertThat(decode(record().addTimers(metric("t",
            value(1, ClientV2.Unit.Type.Value.SECOND, ClientV2.Unit.Scale.Value.MILLI),
            value(2, ClientV2.Unit.Type.Value.SECOND, null),
            value(3)))))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 2000 -", "dim host=h", "endDims",
            "metric t TIMER SECOND", "sample " + InputUnit.MILLISECOND.normalise(1), "sample 2.0", "end",
            "metric t TIMER NONE", "sample 3.0", "end");
    }

    @Test
    void shouldRejectDuplicateNames()
    {
        assertThat(decode(record().addCounters(metric("x", value(1))).addGauges(metric("x", value(1)))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.DUPLICATE_METRIC);
        assertThat(decode(record().addDimensions(ClientV2.DimensionEntry.newBuilder().setName("host").setValue("z"))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.DUPLICATE_DIMENSION);
        assertThat(decode(record()
            .addAnnotations(ClientV2.AnnotationEntry.newBuilder().setName("a").setValue("1"))
            .addAnnotations(ClientV2.AnnotationEntry.newBuilder().setName("a").setValue("2"))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.DUPLICATE_ANNOTATION);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldIgnoreAnnotations()
    {
        assertThat(decode(record().addAnnotations(ClientV2.AnnotationEntry.newBuilder().setName("_n").setValue("v"))
            .addCounters(metric("c", value(1))))).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 2000 -", "dim host=h", "endDims", "metric c COUNTER NONE", "sample 1.0", "end");
    }

    @Test
    void shouldRejectShortOrAbsentId()
    {
        assertThat(decode(record().setId(ByteString.copyFrom(new byte[8])))).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.SHORT_ID);
        assertThat(decode(record().clearId())).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
    }

    @Test
    void shouldReportUnavailableWhenRingIsFull()
    {
        writer.ringFullAfter(0);
        final byte[] body = ClientV2.RecordSet.newBuilder().addRecords(record().addCounters(metric("c", value(1))))
            .build().toByteArray();
        assertThat(decoder.decode(new UnsafeBuffer(body), 0, body.length, EmptyHttpHeaders.INSTANCE, writer))
            .isEqualTo(HttpBodyDecoder.UNAVAILABLE);
    }

    @Test
    void shouldRejectTruncatedBody() throws IOException
    {
        final byte[] golden = ClientV3DecoderTest.resource("/golden/v2.bin");
        for (int cut = 1; cut < 30; cut++)
        {
            assertThat(decode(Arrays.copyOf(golden, golden.length - cut))).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
            assertThat(writer.calls()).isEmpty();
        }
    }
}
