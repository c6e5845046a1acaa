package mad.perf.decode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.arpnetworking.metrics.prometheus.Remote;
import com.arpnetworking.metrics.prometheus.Types;

import io.netty.handler.codec.http.EmptyHttpHeaders;
import mad.engine.Engine;
import mad.engine.sample.PublisherCounters;
import mad.perf.engine.BenchEngines;
import mad.engine.sample.SamplePublisher;
import mad.ingest.decode.ClientV3Decoder;
import mad.ingest.decode.LineDecoder;
import mad.ingest.decode.PrometheusDecoder;
import mad.ingest.decode.StatsdDecoder;
import mad.ingest.http.HttpBodyDecoder;

/**
 * The whole hot path on one thread: a decoder writes into a real {@link SamplePublisher} (key build, hash, ring
 * claim/publish) and the shard's aggregator consumes the ring (table lookup, PT1S + PT1M buckets, MAD default
 * statistics, histograms for timers). V3: a request of 150 samples over 30 series; StatsD: a 20-line datagram;
 * Prometheus: the harness's remote-write request (100 series x 10 samples, {@code __name__} + 3 labels, snappy
 * literal block), once with one timestamp per request as the harness sends it ({@code prometheusAggregate}) and
 * once with a distinct timestamp per sample ({@code prometheusDistinctTimesAggregate}). One op = one sample. Run: {@code java -jar perf/target/benchmarks.jar DecodeAggregateBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeAggregateBenchmark
{
    private static final long NOW = 1_795_586_897_000L;

    private final CachedEpochClock clock = new CachedEpochClock();
    private Engine engine;
    private SamplePublisher publisher;

    private final ClientV3Decoder v3 = new ClientV3Decoder();
    private UnsafeBuffer v3Body;
    private final StatsdDecoder statsd = new StatsdDecoder();
    private UnsafeBuffer[] statsdLines;
    private final PrometheusDecoder prometheus = new PrometheusDecoder(false);
    private UnsafeBuffer prometheusBody;
    private UnsafeBuffer prometheusDistinctBody;

    /**
     * Builds the engine and the inputs, and touches every series once so the tables are warm.
     */
    @Setup
    public void setUp() throws Exception
    {
        clock.update(NOW);
        engine = BenchEngines.secondAndMinute(clock);
        publisher = engine.newPublisher(SamplePublisher.Backpressure.DROP, new PublisherCounters("bench"));
        v3Body = new UnsafeBuffer(HttpDecoderBenchmark.v3Request(false));
        statsdLines = new UnsafeBuffer[20];
        final String[] types = {"c", "ms", "g", "h"};
        for (int i = 0; i < statsdLines.length; i++)
        {
            statsdLines[i] = new UnsafeBuffer(("api.endpoint_" + i + ".latency:" + (i * 1.25) + "|" + types[i % 4]
                + "|#service:bench,cluster:perf,host:host-" + (i % 5)).getBytes(StandardCharsets.UTF_8));
        }
        prometheusBody = new UnsafeBuffer(prometheusRequest(false));
        prometheusDistinctBody = new UnsafeBuffer(prometheusRequest(true));
        v3Aggregate();
        statsdAggregate();
        prometheusAggregate();
        prometheusDistinctTimesAggregate();
    }

    /**
     * @return work done by the aggregator.
     */
    @Benchmark
    @OperationsPerInvocation(150)
    public int v3Aggregate() throws Exception
    {
        if (v3.decode(v3Body, 0, v3Body.capacity(), EmptyHttpHeaders.INSTANCE, publisher) != HttpBodyDecoder.OK)
        {
            throw new IllegalStateException(v3.lastError());
        }
        return engine.agent(0).doWork();
    }

    /**
     * @return work done by the aggregator.
     */
    @Benchmark
    @OperationsPerInvocation(20)
    public int statsdAggregate() throws Exception
    {
        for (final UnsafeBuffer line : statsdLines)
        {
            if (statsd.decodeLine(line, 0, line.capacity(), NOW, publisher) != LineDecoder.OK)
            {
                throw new IllegalStateException(statsd.lastError());
            }
        }
        return engine.agent(0).doWork();
    }

    /**
     * @return work done by the aggregator.
     */
    @Benchmark
    @OperationsPerInvocation(1000)
    public int prometheusAggregate() throws Exception
    {
        return prometheus(prometheusBody);
    }

    /**
     * @return work done by the aggregator.
     */
    @Benchmark
    @OperationsPerInvocation(1000)
    public int prometheusDistinctTimesAggregate() throws Exception
    {
        return prometheus(prometheusDistinctBody);
    }

    private int prometheus(final UnsafeBuffer body) throws Exception
    {
        if (prometheus.decode(body, 0, body.capacity(), EmptyHttpHeaders.INSTANCE, publisher) != HttpBodyDecoder.OK)
        {
            throw new IllegalStateException(prometheus.lastError());
        }
        return engine.agent(0).doWork();
    }

    /**
     * The harness's Prometheus request ({@code Workload.prometheus}): 100 series x 10 samples, labels
     * {@code __name__, cluster, host, service}, wrapped in a one-literal snappy block.
     *
     * @param distinctTimes one timestamp per sample (1 ms apart) instead of one per request.
     */
    private static byte[] prometheusRequest(final boolean distinctTimes)
    {
        final Remote.WriteRequest.Builder request = Remote.WriteRequest.newBuilder();
        for (int s = 0; s < 100; s++)
        {
            final Types.TimeSeries.Builder series = Types.TimeSeries.newBuilder()
                .addLabels(Types.Label.newBuilder().setName("__name__").setValue("hprom_m" + s))
                .addLabels(Types.Label.newBuilder().setName("cluster").setValue("harness_cluster"))
                .addLabels(Types.Label.newBuilder().setName("host").setValue("harness-host"))
                .addLabels(Types.Label.newBuilder().setName("service").setValue("harness"));
            for (int k = 0; k < 10; k++)
            {
                series.addSamples(Types.Sample.newBuilder().setTimestamp(NOW + (distinctTimes ? k : 0))
                    .setValue(k + 0.25));
            }
            request.addTimeseries(series);
        }
        final byte[] raw = request.build().toByteArray();
        final byte[] block = new byte[raw.length + 10];
        int n = 0;
        long length = raw.length;
        while (length >= 0x80)
        {
            block[n++] = (byte)(length & 0x7F | 0x80);
            length >>>= 7;
        }
        block[n++] = (byte)length;
        final int literal = raw.length - 1;
        block[n++] = (byte)(63 << 2);
        block[n++] = (byte)literal;
        block[n++] = (byte)(literal >>> 8);
        block[n++] = (byte)(literal >>> 16);
        block[n++] = (byte)(literal >>> 24);
        System.arraycopy(raw, 0, block, n, raw.length);
        return java.util.Arrays.copyOf(block, n + raw.length);
    }
}
