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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import mad.engine.Engine;
import mad.engine.sample.PublisherCounters;
import mad.perf.engine.BenchEngines;
import mad.engine.sample.SamplePublisher;
import mad.ingest.decode.DatagramLines;
import mad.ingest.decode.LineDecoder;
import mad.ingest.decode.StatsdDecoder;

/**
 * The StatsD UDP path exactly as {@code StatsdUdpReceiver} runs it, minus the socket: one datagram of 20
 * DogStatsD-tagged lines (counters, timers, gauges sharing one {@code |#service,cluster,host} section, like the
 * harness's statsd-1k) is split by {@link DatagramLines}, decoded by {@link StatsdDecoder} inside one writer batch
 * ({@code beginBatch}/{@code endBatch}: one ring range per datagram) into a real {@link SamplePublisher}, and the
 * shard's aggregator drains the ring (table lookups, PT1S + PT1M buckets, MAD default statistics). {@code batched =
 * false} runs the same lines without the batch (one claim/publish per line) for comparison. One op = one line.
 * Run: {@code java -jar perf/target/benchmarks.jar StatsdPathBenchmark -prof gc}; B/op must stay ~0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StatsdPathBenchmark
{
    private static final long NOW = 1_795_586_897_000L;
    private static final int LINES = 20;
    private static final String TAGS = "|#service:harness,cluster:harness_cluster,host:harness-host";

    @Param({"true", "false"})
    public boolean batched;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final DatagramLines lines = new DatagramLines();
    private final StatsdDecoder decoder = new StatsdDecoder();
    private Engine engine;
    private SamplePublisher publisher;
    private UnsafeBuffer datagram;

    /**
     * Builds the engine and the datagram, and runs it once so the series exist.
     */
    @Setup
    public void setUp() throws Exception
    {
        clock.update(NOW);
        engine = BenchEngines.secondAndMinute(clock);
        publisher = engine.newPublisher(SamplePublisher.Backpressure.DROP, new PublisherCounters("bench"));
        final StringBuilder sb = new StringBuilder(2048);
        for (int i = 0; i < LINES; i++)
        {
            if (i > 0)
            {
                sb.append('\n');
            }
            switch (i % 3)
            {
                case 0 -> sb.append("hs1k.c").append(i).append(":1|c");
                case 1 -> sb.append("hs1k.t").append(i).append(':').append(5 + i % 50).append("|ms");
                default -> sb.append("hs1k.g").append(i).append(':').append(i % 100).append("|g");
            }
            sb.append(TAGS);
        }
        datagram = new UnsafeBuffer(sb.toString().getBytes(StandardCharsets.UTF_8));
        datagram();
    }

    /**
     * @return work done by the aggregator.
     */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public int datagram() throws Exception
    {
        final int count = lines.wrap(datagram, 0, datagram.capacity());
        if (batched)
        {
            publisher.beginBatch(count);
        }
        for (int i = 0; i < count; i++)
        {
            if (decoder.decodeLine(datagram, lines.offset(i), lines.length(i), NOW, publisher) != LineDecoder.OK)
            {
                throw new IllegalStateException(decoder.lastError());
            }
        }
        if (batched)
        {
            publisher.endBatch();
        }
        return engine.agent(0).doWork();
    }
}
