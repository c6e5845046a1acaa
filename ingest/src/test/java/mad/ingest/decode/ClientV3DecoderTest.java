package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import io.inscopemetrics.client.protocol.ClientV3;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import mad.engine.sample.CountingSampleWriter;
import mad.ingest.http.HttpBodyDecoder;

class ClientV3DecoderTest
{
    static final ByteString ID = ByteString.copyFrom(new byte[16]);

    private final ClientV3Decoder decoder = new ClientV3Decoder();
    private final CallRecordingWriter writer = new CallRecordingWriter();

    static byte[] resource(final String name) throws IOException
    {
        try (InputStream in = ClientV3DecoderTest.class.getResourceAsStream(name))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static ClientV3.Identifier id(final String text)
    {
        return ClientV3.Identifier.newBuilder().setStringValue(text).build();
    }

    static ClientV3.DimensionEntry dim(final String name, final String value)
    {
        return ClientV3.DimensionEntry.newBuilder().setName(id(name)).setValue(id(value)).build();
    }

    static ClientV3.MetricDataEntry samples(final String name, final double... values)
    {
        final ClientV3.NumericalData.Builder data = ClientV3.NumericalData.newBuilder();
        for (final double value : values)
        {
            data.addSamples(value);
        }
        return ClientV3.MetricDataEntry.newBuilder().setName(id(name)).setNumericalData(data).build();
    }

    static ClientV3.MetricDataEntry histogram(
        final String name, final double min, final double max, final double sum, final long... bucketCounts)
    {
        final ClientV3.AugmentedHistogram.Builder histogram =
            ClientV3.AugmentedHistogram.newBuilder().setMin(min).setMax(max).setSum(sum).setPrecision(7);
        for (int i = 0; i < bucketCounts.length; i += 2)
        {
            histogram.addEntries(
                ClientV3.SparseHistogramEntry.newBuilder().setBucket(bucketCounts[i]).setCount(bucketCounts[i + 1]));
        }
        return ClientV3.MetricDataEntry.newBuilder()
            .setName(id(name))
            .setNumericalData(ClientV3.NumericalData.newBuilder().setStatistics(histogram))
            .build();
    }

    static ClientV3.Record.Builder record()
    {
        return ClientV3.Record.newBuilder().setId(ID).setEndMillisSinceEpoch(1000).addDimensions(dim("host", "h"));
    }

    private int decode(final byte[] body)
    {
        writer.clear();
        return decoder.decode(new UnsafeBuffer(body), 0, body.length, EmptyHttpHeaders.INSTANCE, writer);
    }

    private int decode(final ClientV3.Record.Builder... records)
    {
        final ClientV3.Request.Builder request = ClientV3.Request.newBuilder();
        for (final ClientV3.Record.Builder record : records)
        {
            request.addRecords(record);
        }
        return decode(request.build().toByteArray());
    }

    @Test
    void shouldDecodeGoldenInput() throws IOException
    {
        assertThat(decode(resource("/golden/v3.bin"))).isEqualTo(HttpBodyDecoder.OK);
        final List<String> dims = List.of(
            "dim cluster=golden_cluster", "dim host=golden-host", "dim region=us-west", "dim service=golden_v3",
            "endDims");
        final List<String> expected = new ArrayList<>();
        expected.add("record 1795586897200 1795586897250");
        expected.addAll(dims);
        expected.addAll(List.of(
            "metric golden.v3.samples GAUGE NONE", "sample 1.0", "sample 2.0", "sample 3.0", "sample 4.0",
            "sample 100.0", "end",
            "metric golden.v3.mixed GAUGE NONE", "sample 5.0", "end",
            "metric golden.v3.histogram GAUGE NONE", "stats 10.0 20.0 50.0 4", "bucket 131360 3", "bucket 131488 1",
            "end",
            "metric golden.v3.mixed GAUGE NONE", "stats 7.0 7.0 14.0 2", "bucket 131296 2", "end"));
        expected.add("record 1795586897300 -");
        expected.addAll(dims);
        expected.addAll(List.of("metric golden.v3.samples GAUGE NONE", "sample 6.0", "end"));
        expected.addAll(List.of(
            "record 1795586897400 -", "dim cluster=golden_cluster", "dim host=golden-host-2", "dim region=us-west",
            "dim service=golden_v3", "endDims", "metric golden.v3.samples GAUGE NONE", "sample 50.0", "end"));
        assertThat(writer.calls()).containsExactlyElementsOf(expected);
        assertThat(decoder.lastSampleCount()).isEqualTo(5 + 1 + 4 + 2 + 1 + 1);
    }

    @Test
    void shouldRejectEmptyRequest()
    {
        // COMPAT.md D11: MAD answers 200 to a request without records.
        assertThat(decode(new byte[0])).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.EMPTY_REQUEST);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldRejectJson()
    {
        assertThat(decode("{\"records\":[]}".getBytes(StandardCharsets.UTF_8))).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.NOT_PROTOBUF);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldRejectTruncatedBodyAndPublishNothing() throws IOException
    {
        final byte[] golden = resource("/golden/v3.bin");
        for (int cut = 1; cut < 40; cut++)
        {
            assertThat(decode(Arrays.copyOf(golden, golden.length - cut))).as("cut %d", cut)
                .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
            assertThat(writer.calls()).isEmpty();
        }
    }

    @Test
    void shouldRejectShortOrAbsentIdAndPublishNothing()
    {
        final ClientV3.Record.Builder good = record().addData(samples("m", 1));
        assertThat(decode(good, record().setId(ByteString.copyFrom(new byte[15])))).isEqualTo(
            HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.SHORT_ID);
        assertThat(writer.calls()).isEmpty();
        assertThat(decode(record().clearId())).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decode(record().setId(ByteString.copyFrom(new byte[17])))).isEqualTo(HttpBodyDecoder.OK);
    }

    @Test
    void shouldRejectUnsetIdentifiers()
    {
        assertThat(decode(record().addDimensions(
            ClientV3.DimensionEntry.newBuilder().setName(id("x")).setValue(ClientV3.Identifier.getDefaultInstance()))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.DIMENSION_NOT_SET);
        assertThat(decode(record().addDimensions(ClientV3.DimensionEntry.newBuilder().setValue(id("x")))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decode(record().addData(ClientV3.MetricDataEntry.newBuilder()
            .setNumericalData(ClientV3.NumericalData.newBuilder().addSamples(1)))))
            .isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.METRIC_NAME_NOT_SET);
        assertThat(writer.calls()).isEmpty();
    }

    @Test
    void shouldRejectDuplicateDimensionNames()
    {
        assertThat(decode(record().addDimensions(dim("host", "h")))).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.DUPLICATE_DIMENSION);
    }

    @Test
    void shouldRejectInvalidUtf8() throws IOException
    {
        final ByteArrayOutputStream dimension = new ByteArrayOutputStream();
        final CodedOutputStream dimensionOut = CodedOutputStream.newInstance(dimension);
        dimensionOut.writeByteArray(1, new byte[] {0x0A, 0x01, (byte)0xC0});
        dimensionOut.writeMessage(2, id("v"));
        dimensionOut.flush();
        final ByteArrayOutputStream recordBytes = new ByteArrayOutputStream();
        final CodedOutputStream recordOut = CodedOutputStream.newInstance(recordBytes);
        recordOut.writeRawBytes(record().build().toByteArray());
        recordOut.writeByteArray(4, dimension.toByteArray());
        recordOut.flush();
        final byte[] request = ClientV3.Request.newBuilder().build().toByteArray();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(request);
        final CodedOutputStream bodyOut = CodedOutputStream.newInstance(body);
        bodyOut.writeByteArray(1, recordBytes.toByteArray());
        bodyOut.flush();
        assertThatThrownBy(() -> ClientV3.Request.parseFrom(body.toByteArray()))
            .isInstanceOf(InvalidProtocolBufferException.class);
        assertThat(decode(body.toByteArray())).isEqualTo(HttpBodyDecoder.BAD_REQUEST);
        assertThat(decoder.lastError()).isEqualTo(ClientV3Decoder.INVALID_UTF8);
    }

    @Test
    void shouldSkipEntryWithoutDataAndEmptyNumericalData()
    {
        assertThat(decode(record()
            .addData(ClientV3.MetricDataEntry.newBuilder().setName(id("nodata")))
            .addData(ClientV3.MetricDataEntry.newBuilder().setName(id("empty"))
                .setNumericalData(ClientV3.NumericalData.getDefaultInstance()))))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly("record 1000 -", "dim host=h", "endDims");
    }

    @Test
    void shouldWriteSamplesOfAllEntriesBeforeStatistics()
    {
        assertThat(decode(record()
            .addData(histogram("m", 7, 7, 14, 131296, 2))
            .addData(samples("m", 5))
            .addData(samples("other", 1))
            .addData(ClientV3.MetricDataEntry.newBuilder().setName(id("m")).setNumericalData(
                ClientV3.NumericalData.newBuilder().addSamples(6)
                    .setStatistics(ClientV3.AugmentedHistogram.getDefaultInstance())))
            .setRequestMillisSinceEpoch(1250)))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 1000 1250", "dim host=h", "endDims",
            "metric m GAUGE NONE", "sample 5.0", "end",
            "metric other GAUGE NONE", "sample 1.0", "end",
            "metric m GAUGE NONE", "sample 6.0", "end",
            "metric m GAUGE NONE", "stats 7.0 7.0 14.0 2", "bucket 131296 2", "end",
            // MAD's quirk: an empty histogram still adds min = max = sum = count = 0
            "metric m GAUGE NONE", "stats 0.0 0.0 0.0 0", "end");
    }

    @Test
    void shouldAcceptUnpackedSamplesAndSkipUnknownFields() throws IOException
    {
        // NumericalData with two unpacked doubles (field 1, wire type 1) and an unknown varint field 9
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final CodedOutputStream dataOut = CodedOutputStream.newInstance(data);
        dataOut.writeDouble(1, 1.5);
        dataOut.writeUInt64(9, 42);
        dataOut.writeDouble(1, 2.5);
        dataOut.flush();
        final ClientV3.MetricDataEntry entry = ClientV3.MetricDataEntry.newBuilder().setName(id("u")).build();
        final ByteArrayOutputStream entryBytes = new ByteArrayOutputStream();
        final CodedOutputStream entryOut = CodedOutputStream.newInstance(entryBytes);
        entryOut.writeRawBytes(entry.toByteArray());
        entryOut.writeByteArray(2, data.toByteArray());
        entryOut.flush();
        final ClientV3.Record base = record().build();
        final ByteArrayOutputStream recordBytes = new ByteArrayOutputStream();
        final CodedOutputStream recordOut = CodedOutputStream.newInstance(recordBytes);
        recordOut.writeRawBytes(base.toByteArray());
        recordOut.writeByteArray(5, entryBytes.toByteArray());
        recordOut.writeString(15, "unknown");
        recordOut.flush();
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        final CodedOutputStream requestOut = CodedOutputStream.newInstance(request);
        requestOut.writeByteArray(1, recordBytes.toByteArray());
        requestOut.flush();
        // the generated parser agrees
        assertThat(ClientV3.Request.parseFrom(request.toByteArray()).getRecords(0).getData(0).getNumericalData()
            .getSamplesList()).containsExactly(1.5, 2.5);
        assertThat(decode(request.toByteArray())).isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).containsExactly(
            "record 1000 -", "dim host=h", "endDims", "metric u GAUGE NONE", "sample 1.5", "sample 2.5", "end");
    }

    @Test
    void shouldReportUnavailableWhenRingIsFull()
    {
        writer.ringFullAfter(1);
        final byte[] body = ClientV3.Request.newBuilder().addRecords(record().addData(samples("m", 1, 2, 3))).build()
            .toByteArray();
        assertThat(decoder.decode(new UnsafeBuffer(body), 0, body.length, EmptyHttpHeaders.INSTANCE, writer))
            .isEqualTo(HttpBodyDecoder.UNAVAILABLE);
        assertThat(writer.calls()).endsWith("sample 1.0", "end");
    }

    @Test
    void shouldDecodeAtAnOffset()
    {
        final byte[] request = ClientV3.Request.newBuilder().addRecords(record().addData(samples("m", 1))).build()
            .toByteArray();
        final byte[] padded = new byte[request.length + 10];
        System.arraycopy(request, 0, padded, 5, request.length);
        padded[request.length + 5] = (byte)0xFF;
        assertThat(decoder.decode(new UnsafeBuffer(padded), 5, request.length, EmptyHttpHeaders.INSTANCE, writer))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(writer.calls()).contains("sample 1.0");
    }

    @Test
    void shouldNotAllocateWhenDecoding() throws IOException
    {
        final byte[] body = resource("/golden/v3.bin");
        final UnsafeBuffer buffer = new UnsafeBuffer(body);
        final CountingSampleWriter noOp = new CountingSampleWriter();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        for (int i = 0; i < 50_000; i++)
        {
            decoder.decode(buffer, 0, body.length, EmptyHttpHeaders.INSTANCE, noOp);
        }
        final int decodes = 20_000;
        final long before = threads.getThreadAllocatedBytes(threadId);
        int failures = 0;
        for (int i = 0; i < decodes; i++)
        {
            failures += decoder.decode(buffer, 0, body.length, EmptyHttpHeaders.INSTANCE, noOp);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertThat(failures).isZero();
        assertThat((double)allocated / decodes).as("bytes per decode (%d total)", allocated).isLessThan(1.0);
    }
}
