package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.inscopemetrics.client.protocol.ClientV1;

import io.netty.handler.codec.http.EmptyHttpHeaders;
import mad.engine.model.InputUnit;
import mad.ingest.http.HttpBodyDecoder;

class ClientV1DecoderTest
{
    private final ClientV1Decoder decoder = new ClientV1Decoder();
    private final CallRecordingWriter writer = new CallRecordingWriter();

    static ClientV1.DoubleQuantity value(final double value, final ClientV1.Unit unit)
    {
        final ClientV1.DoubleQuantity.Builder quantity = ClientV1.DoubleQuantity.newBuilder().setValue(value);
        if (unit != null)
        {
            quantity.setUnit(ClientV1.CompoundUnit.newBuilder().addNumerator(unit)
                .addDenominator(ClientV1.Unit.newBuilder().setType(ClientV1.Unit.Type.HOUR)));
        }
        return quantity.build();
    }

    static ClientV1.Unit unit(final ClientV1.Unit.Type type, final ClientV1.Unit.Scale scale)
    {
        return ClientV1.Unit.newBuilder().setType(type).setScale(scale).build();
    }

    static ClientV1.Record.Builder record()
    {
        return ClientV1.Record.newBuilder()
            .setId(ByteString.copyFrom(new byte[16]))
            .setEndMillisSinceEpoch(3000)
            .setStartMillisSinceEpoch(1)
            .addDimensions(ClientV1.DimensionEntry.newBuilder().setName("host").setValue("h"));
    }

    private int decode(final byte[] body)
    {
        writer.clear();
        return decoder.decode(new UnsafeBuffer(body), 0, body.length, EmptyHttpHeaders.INSTANCE, writer);
    }

    private int decode(final ClientV1.Record.Builder record)
    {
        return decode(ClientV1.RecordSet.newBuilder().addRecords(record).build().toByteArray());
    }

    @Test
    void shouldDecodeGoldenInput() throws IOException
    {
        assertThat(decode(ClientV3DecoderTest.resource("/golden/v1.bin"))).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 1795586897120 -", "dim host=golden-host", "dim service=golden_v1", "dim cluster=golden_cluster",
            "endDims",
            "metric golden.v1.gauge_kb GAUGE BYTE", "sample 2000.0", "sample 4000.0", "end",
            "metric golden.v1.counter COUNTER NONE", "sample 1.0", "sample 2.0", "sample 3.0", "end",
            "metric golden.v1.timer TIMER SECOND",
            "sample " + InputUnit.MILLISECOND.normalise(10), "sample " + InputUnit.MILLISECOND.normalise(20),
            "sample " + InputUnit.MILLISECOND.normalise(30), "end");
    }

    @Test
    void shouldRejectUnsetNumeratorCelsiusAndKibi()
    {
        // an all-default numerator is YOCTO SECOND
        assertThat(decode(record().addTimers(ClientV1.MetricEntry.newBuilder().setName("t")
            .addSamples(value(1, ClientV1.Unit.getDefaultInstance())))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.UNKNOWN_UNIT);
        assertThat(decode(record().addGauges(ClientV1.MetricEntry.newBuilder().setName("g")
            .addSamples(value(1, unit(ClientV1.Unit.Type.CELSIUS, ClientV1.Unit.Scale.UNIT))))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decode(record().addGauges(ClientV1.MetricEntry.newBuilder().setName("g")
            .addSamples(value(1, unit(ClientV1.Unit.Type.BYTE, ClientV1.Unit.Scale.KIBI))))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldUseFirstNumeratorOnly()
    {
        final ClientV1.DoubleQuantity quantity = ClientV1.DoubleQuantity.newBuilder().setValue(3)
            .setUnit(ClientV1.CompoundUnit.newBuilder()
                .addNumerator(unit(ClientV1.Unit.Type.KELVIN, ClientV1.Unit.Scale.UNIT))
                .addNumerator(unit(ClientV1.Unit.Type.BYTE, ClientV1.Unit.Scale.KIBI)))
            .build();
        assertThat(decode(record().addGauges(ClientV1.MetricEntry.newBuilder().setName("k").addSamples(quantity))))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 3000 -", "dim host=h", "endDims", "metric k GAUGE KELVIN", "sample 3.0", "end");
    }

    @Test
    void shouldRejectDuplicateMetricNamesAcrossSections()
    {
        assertThat(decode(record()
            .addTimers(ClientV1.MetricEntry.newBuilder().setName("x").addSamples(value(1, null)))
            .addCounters(ClientV1.MetricEntry.newBuilder().setName("x"))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.DUPLICATE_METRIC);
    }

    @Test
    void shouldRejectEmptyRequestAndShortId()
    {
        // COMPAT.md D11: MAD answers 200 to a request without records.
        assertThat(decode(new byte[0])).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.EMPTY_REQUEST);
        assertThat(writer.calls()).isEmpty();
        assertThat(decode(record().setId(ByteString.copyFrom(new byte[15])))).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientRecordSetDecoder.SHORT_ID);
    }
}
