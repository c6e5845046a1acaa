package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import mad.engine.sample.CountingSampleWriter;
import mad.engine.sample.SampleWriter;

class DecoderAllocationTest
{
    private static final int OPS = 50_000;

    @Test
    void shouldNotAllocateDecodingStatsdLines()
    {
        final String line = "golden.statsd.timer:300.5|ms|@0.5|#service:golden_statsd,cluster:golden_cluster,env:test\n"
            + "golden.statsd.influx,service=s,region=us-west:7|c";
        assertThat(bytesPerOp(new StatsdDecoder(), line)).isLessThan(1.0);
    }

    @Test
    void shouldNotAllocateDecodingGraphiteLines()
    {
        final String line = "golden.graphite.tagged;region=us-west;service=x 42.5 1795586897\n"
            + "golden.graphite.nots 1000";
        assertThat(bytesPerOp(new GraphiteDecoder(Map.of("service", "graphite", "cluster", "c"), true), line))
            .isLessThan(1.0);
    }

    @Test
    void shouldNotAllocateDecodingTelegrafJsonLines()
    {
        final String line = "{\"fields\":{\"usage_user\":12.345678901234567,\"usage_idle\":87},\"name\":\"cpu\","
            + "\"tags\":{\"host\":\"h-1\",\"cpu\":\"cpu0\"},\"timestamp\":1795586897}\n"
            + "{\"metrics\":[{\"fields\":{\"x\":\"1.5\"},\"name\":\"m\",\"tags\":{},\"timestamp\":\"1795586897\"},"
            + "{\"fields\":{\"y\":true},\"name\":\"\",\"tags\":{\"k\":\"v\\u00e9\"},\"timestamp\":1795586897.5}]}";
        assertThat(bytesPerOp(new TelegrafJsonDecoder(TelegrafJsonDecoder.TimestampUnit.SECONDS), line))
            .isLessThan(1.0);
    }

    @Test
    void shouldNotAllocateDecodingCollectdJson()
    {
        final StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20; i++)
        {
            body.append(i > 0 ? "," : "").append("{\"values\":[").append(i * 0.25).append(",12.345678901234567],")
                .append("\"dstypes\":[\"derive\",\"gauge\"],\"dsnames\":[\"rx\",\"tx\"],\"time\":1795586897.")
                .append(100 + i).append(",\"interval\":10.000,\"host\":\"host-").append(i % 3)
                .append("\",\"plugin\":\"interface\",\"plugin_instance\":\"eth0\",\"type\":\"if_octets\",")
                .append("\"type_instance\":\"\"}");
        }
        final byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final CollectdJsonDecoder decoder = new CollectdJsonDecoder();
        final CountingSampleWriter writer = new CountingSampleWriter();
        for (int i = 0; i < 5_000; i++)
        {
            decoder.decode(buffer, 0, bytes.length, null, writer);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        writer.reset();
        for (int i = 0; i < 5_000; i++)
        {
            if (decoder.decode(buffer, 0, bytes.length, null, writer) != 0)
            {
                throw new AssertionError(decoder.lastError());
            }
        }
        final long after = threads.getCurrentThreadAllocatedBytes();
        assertThat(writer.samples()).isEqualTo(5_000L * 40);
        assertThat((after - before) / (double)writer.samples()).isLessThan(0.1);
    }

    private static double bytesPerOp(final LineDecoder decoder, final String lines)
    {
        final String[] parts = lines.split("\n");
        final UnsafeBuffer[] buffers = new UnsafeBuffer[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            buffers[i] = new UnsafeBuffer(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        final CountingSampleWriter writer = new CountingSampleWriter();
        run(decoder, buffers, writer);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        run(decoder, buffers, writer);
        final long after = threads.getCurrentThreadAllocatedBytes();
        assertThat(writer.samples()).isGreaterThanOrEqualTo(2L * OPS * buffers.length);
        return (after - before) / (double)(OPS * buffers.length);
    }

    private static void run(final LineDecoder decoder, final UnsafeBuffer[] buffers, final SampleWriter writer)
    {
        for (int i = 0; i < OPS; i++)
        {
            for (final UnsafeBuffer buffer : buffers)
            {
                if (decoder.decodeLine(buffer, 0, buffer.capacity(), i, writer) != LineDecoder.OK)
                {
                    throw new AssertionError(decoder.lastError());
                }
            }
        }
    }
}
