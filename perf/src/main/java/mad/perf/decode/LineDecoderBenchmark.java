package mad.perf.decode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
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

import mad.engine.sample.CountingSampleWriter;
import mad.ingest.decode.GraphiteDecoder;
import mad.ingest.decode.LineDecoder;
import mad.ingest.decode.StatsdDecoder;
import mad.ingest.decode.TelegrafJsonDecoder;

/**
 * Each line decoder on {@value #LINES} realistic lines (a 20-line StatsD datagram with DogStatsD tags, Graphite
 * lines with carbon tags, Telegraf JSON lines), into a counting writer. One op = one sample (StatsD and Graphite:
 * one per line; Telegraf: its fields).
 * Run: {@code java -jar perf/target/benchmarks.jar LineDecoderBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(LineDecoderBenchmark.LINES)
public class LineDecoderBenchmark
{
    static final int LINES = 20;

    /** The protocol. */
    public enum Protocol
    {
        STATSD, GRAPHITE, TELEGRAF
    }

    @Param
    public Protocol protocol;

    private LineDecoder decoder;
    private UnsafeBuffer[] lines;
    private final CountingSampleWriter writer = new CountingSampleWriter();

    /**
     * Builds the lines once.
     */
    @Setup
    public void setUp()
    {
        lines = new UnsafeBuffer[LINES];
        for (int i = 0; i < LINES; i++)
        {
            final String text;
            switch (protocol)
            {
                case STATSD:
                    decoder = new StatsdDecoder();
                    final String[] types = {"c", "ms", "g", "h"};
                    text = "api.endpoint_" + i + ".latency:" + (i * 1.25) + "|" + types[i % 4]
                        + "|#service:bench,cluster:perf,host:host-" + (i % 5) + ",region:eu";
                    break;
                case GRAPHITE:
                    decoder = new GraphiteDecoder(Map.of("service", "graphite", "cluster", "perf"), true);
                    text = "servers.host-" + (i % 5) + ".cpu." + i + ";region=eu;dc=a " + (i * 0.5) + " 1795586897";
                    break;
                default:
                    decoder = new TelegrafJsonDecoder(TelegrafJsonDecoder.TimestampUnit.SECONDS);
                    // one field per line so that one op is one sample, as for the other protocols
                    text = "{\"fields\":{\"usage_user\":" + (i * 0.5) + "},\"name\":\"cpu\",\"tags\":{\"host\":\"host-"
                        + (i % 5) + "\",\"cpu\":\"cpu" + i + "\"},\"timestamp\":1795586897}";
                    break;
            }
            lines[i] = new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
        }
        if (decode() != LINES)
        {
            throw new IllegalStateException(protocol + " decoded " + writer.samples() + ": " + decoder.lastError());
        }
    }

    /**
     * @return samples written.
     */
    @Benchmark
    public long decode()
    {
        writer.reset();
        for (int i = 0; i < lines.length; i++)
        {
            final UnsafeBuffer line = lines[i];
            if (decoder.decodeLine(line, 0, line.capacity(), 1_795_586_897_000L, writer) != LineDecoder.OK)
            {
                throw new IllegalStateException(decoder.lastError());
            }
        }
        return writer.samples();
    }
}
