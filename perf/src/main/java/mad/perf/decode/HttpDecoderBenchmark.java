package mad.perf.decode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.arpnetworking.metrics.prometheus.Remote;
import com.arpnetworking.metrics.prometheus.Types;
import com.google.protobuf.ByteString;
import com.inscopemetrics.client.protocol.ClientV1;
import com.inscopemetrics.client.protocol.ClientV2;

import io.inscopemetrics.client.protocol.ClientV3;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.compression.Snappy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.sample.CountingSampleWriter;
import mad.ingest.decode.ClientV1Decoder;
import mad.ingest.decode.ClientV2Decoder;
import mad.ingest.decode.ClientV3Decoder;
import mad.ingest.decode.CollectdJsonDecoder;
import mad.ingest.decode.PrometheusDecoder;
import mad.ingest.http.HttpBodyDecoder;

/**
 * Each HTTP body decoder on a realistic request of {@value #SAMPLES} samples (10 records x 3 metrics x 5 samples,
 * or the protocol's equivalent), into a counting writer: the decoder's own cost per sample. One op = one sample.
 * Run: {@code java -jar perf/target/benchmarks.jar HttpDecoderBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(HttpDecoderBenchmark.SAMPLES)
public class HttpDecoderBenchmark
{
    static final int SAMPLES = 150;
    private static final long T0 = 1_795_586_897_000L;

    /** The protocol. */
    public enum Protocol
    {
        V1, V2, V3, PROMETHEUS, COLLECTD
    }

    @Param
    public Protocol protocol;

    private HttpBodyDecoder decoder;
    private UnsafeBuffer body;
    private int length;
    private HttpHeaders headers;
    private final CountingSampleWriter writer = new CountingSampleWriter();

    /**
     * Builds the request body once.
     */
    @Setup
    public void setUp()
    {
        headers = new DefaultHttpHeaders();
        final byte[] bytes;
        switch (protocol)
        {
            case V1:
                decoder = new ClientV1Decoder();
                bytes = v1();
                break;
            case V2:
                decoder = new ClientV2Decoder();
                bytes = v2();
                break;
            case V3:
                decoder = new ClientV3Decoder();
                bytes = v3();
                break;
            case PROMETHEUS:
                decoder = new PrometheusDecoder(false);
                bytes = prometheus();
                break;
            default:
                decoder = new CollectdJsonDecoder();
                headers.set("X-TAG-SERVICE", "bench").set("X-TAG-CLUSTER", "perf");
                bytes = collectd();
                break;
        }
        body = new UnsafeBuffer(bytes);
        length = bytes.length;
        if (decode() != SAMPLES)
        {
            throw new IllegalStateException(protocol + " decoded " + writer.samples() + " samples: "
                + decoder.lastError());
        }
    }

    /**
     * @return samples written.
     */
    @Benchmark
    public long decode()
    {
        writer.reset();
        if (decoder.decode(body, 0, length, headers, writer) != HttpBodyDecoder.OK)
        {
            throw new IllegalStateException(decoder.lastError());
        }
        return writer.samples();
    }

    private static byte[] v1()
    {
        final ClientV1.RecordSet.Builder set = ClientV1.RecordSet.newBuilder();
        for (int r = 0; r < 10; r++)
        {
            final ClientV1.Record.Builder record = ClientV1.Record.newBuilder()
                .setId(ByteString.copyFrom(new byte[16])).setEndMillisSinceEpoch(T0 + r)
                .addDimensions(ClientV1.DimensionEntry.newBuilder().setName("host").setValue("host-" + r))
                .addDimensions(ClientV1.DimensionEntry.newBuilder().setName("service").setValue("bench"))
                .addDimensions(ClientV1.DimensionEntry.newBuilder().setName("cluster").setValue("perf"));
            final ClientV1.MetricEntry.Builder counter = ClientV1.MetricEntry.newBuilder().setName("requests." + r);
            final ClientV1.MetricEntry.Builder timer = ClientV1.MetricEntry.newBuilder().setName("latency." + r);
            final ClientV1.MetricEntry.Builder gauge = ClientV1.MetricEntry.newBuilder().setName("queue." + r);
            final ClientV1.CompoundUnit millis = ClientV1.CompoundUnit.newBuilder().addNumerator(ClientV1.Unit
                .newBuilder().setType(ClientV1.Unit.Type.SECOND).setScale(ClientV1.Unit.Scale.MILLI)).build();
            for (int s = 0; s < 5; s++)
            {
                counter.addSamples(ClientV1.DoubleQuantity.newBuilder().setValue(s));
                timer.addSamples(ClientV1.DoubleQuantity.newBuilder().setValue(10.5 * s).setUnit(millis));
                gauge.addSamples(ClientV1.DoubleQuantity.newBuilder().setValue(s * 3));
            }
            set.addRecords(record.addCounters(counter).addTimers(timer).addGauges(gauge));
        }
        return set.build().toByteArray();
    }

    private static byte[] v2()
    {
        final ClientV2.RecordSet.Builder set = ClientV2.RecordSet.newBuilder();
        for (int r = 0; r < 10; r++)
        {
            final ClientV2.Record.Builder record = ClientV2.Record.newBuilder()
                .setId(ByteString.copyFrom(new byte[16])).setEndMillisSinceEpoch(T0 + r)
                .addDimensions(ClientV2.DimensionEntry.newBuilder().setName("host").setValue("host-" + r))
                .addDimensions(ClientV2.DimensionEntry.newBuilder().setName("service").setValue("bench"))
                .addDimensions(ClientV2.DimensionEntry.newBuilder().setName("cluster").setValue("perf"));
            final ClientV2.MetricEntry.Builder counter = ClientV2.MetricEntry.newBuilder().setName("requests." + r);
            final ClientV2.MetricEntry.Builder timer = ClientV2.MetricEntry.newBuilder().setName("latency." + r);
            final ClientV2.MetricEntry.Builder gauge = ClientV2.MetricEntry.newBuilder().setName("queue." + r);
            final ClientV2.CompoundUnit millis = ClientV2.CompoundUnit.newBuilder().addNumerator(ClientV2.Unit
                .newBuilder().setType(ClientV2.Unit.Type.Value.SECOND).setScale(ClientV2.Unit.Scale.Value.MILLI))
                .build();
            for (int s = 0; s < 5; s++)
            {
                counter.addSamples(ClientV2.Quantity.newBuilder().setLongValue(s));
                timer.addSamples(ClientV2.Quantity.newBuilder().setDoubleValue(10.5 * s).setUnit(millis));
                gauge.addSamples(ClientV2.Quantity.newBuilder().setDoubleValue(s * 3));
            }
            set.addRecords(record.addCounters(counter).addTimers(timer).addGauges(gauge));
        }
        return set.build().toByteArray();
    }

    private static byte[] v3()
    {
        return v3Request(true);
    }

    /**
     * A ClientV3 request of 10 records x 3 metrics x 5 samples with host/service/cluster dimensions.
     *
     * @param perRecordNames true: every record has its own metric names (30 series); false: 3 names per record.
     */
    static byte[] v3Request(final boolean perRecordNames)
    {
        final ClientV3.Request.Builder request = ClientV3.Request.newBuilder();
        for (int r = 0; r < 10; r++)
        {
            final ClientV3.Record.Builder record = ClientV3.Record.newBuilder()
                .setId(ByteString.copyFrom(new byte[16])).setEndMillisSinceEpoch(T0 + r)
                .addDimensions(v3Dimension("host", "host-" + r))
                .addDimensions(v3Dimension("service", "bench"))
                .addDimensions(v3Dimension("cluster", "perf"));
            for (int m = 0; m < 3; m++)
            {
                final ClientV3.NumericalData.Builder data = ClientV3.NumericalData.newBuilder();
                for (int s = 0; s < 5; s++)
                {
                    data.addSamples(r * 10 + m + s * 0.5);
                }
                record.addData(ClientV3.MetricDataEntry.newBuilder()
                    .setName(ClientV3.Identifier.newBuilder()
                        .setStringValue(perRecordNames ? "metric." + r + "." + m : "metric." + m))
                    .setNumericalData(data));
            }
            request.addRecords(record);
        }
        return request.build().toByteArray();
    }

    private static ClientV3.DimensionEntry v3Dimension(final String name, final String value)
    {
        return ClientV3.DimensionEntry.newBuilder()
            .setName(ClientV3.Identifier.newBuilder().setStringValue(name))
            .setValue(ClientV3.Identifier.newBuilder().setStringValue(value)).build();
    }

    private static byte[] prometheus()
    {
        final Remote.WriteRequest.Builder request = Remote.WriteRequest.newBuilder();
        for (int i = 0; i < 30; i++)
        {
            final Types.TimeSeries.Builder series = Types.TimeSeries.newBuilder()
                .addLabels(Types.Label.newBuilder().setName("__name__").setValue("http_requests_" + i))
                .addLabels(Types.Label.newBuilder().setName("host").setValue("host-" + (i % 10)))
                .addLabels(Types.Label.newBuilder().setName("service").setValue("bench"))
                .addLabels(Types.Label.newBuilder().setName("cluster").setValue("perf"));
            for (int s = 0; s < 5; s++)
            {
                series.addSamples(Types.Sample.newBuilder().setValue(i + s).setTimestamp(T0 + s * 1000));
            }
            request.addTimeseries(series);
        }
        final byte[] raw = request.build().toByteArray();
        final ByteBuf in = Unpooled.wrappedBuffer(raw);
        final ByteBuf out = Unpooled.buffer();
        new Snappy().encode(in, out, raw.length);
        final byte[] compressed = new byte[out.readableBytes()];
        out.readBytes(compressed);
        return compressed;
    }

    private static byte[] collectd()
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 50; i++)
        {
            json.append(i == 0 ? "" : ",")
                .append("{\"values\":[").append(i).append(".5,").append(i + 1).append(",").append(i * 2)
                .append("],\"dstypes\":[\"gauge\",\"derive\",\"counter\"],\"dsnames\":[\"a\",\"b\",\"c\"],")
                .append("\"time\":1795586897.25,\"interval\":10.0,\"host\":\"host-").append(i % 10)
                .append("\",\"plugin\":\"cpu\",\"plugin_instance\":\"").append(i)
                .append("\",\"type\":\"cpu\",\"type_instance\":\"user\"}");
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
