package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
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

    private static double bytesPerOp(final LineDecoder decoder, final String lines)
    {
        final String[] parts = lines.split("\n");
        final UnsafeBuffer[] buffers = new UnsafeBuffer[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            buffers[i] = new UnsafeBuffer(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        final CountingWriter writer = new CountingWriter();
        run(decoder, buffers, writer);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        run(decoder, buffers, writer);
        final long after = threads.getCurrentThreadAllocatedBytes();
        assertThat(writer.samples).isEqualTo(2L * OPS * buffers.length);
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

    /** Allocation-free writer. */
    private static final class CountingWriter implements SampleWriter
    {
        long samples;

        @Override
        public void beginRecord(final long timestampMs, final long requestTimeMs)
        {
        }

        @Override
        public void dimension(final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
            final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
        {
        }

        @Override
        public void dimension(final CharSequence name, final CharSequence value)
        {
        }

        @Override
        public int endDimensions()
        {
            return PublishResult.OK;
        }

        @Override
        public int beginMetric(final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
            final MetricType type, final Unit unit)
        {
            return PublishResult.OK;
        }

        @Override
        public int beginMetric(final CharSequence name, final MetricType type, final Unit unit)
        {
            return PublishResult.OK;
        }

        @Override
        public int sample(final double value)
        {
            samples++;
            return PublishResult.OK;
        }

        @Override
        public int clientStatistics(final double min, final double max, final double sum, final long count)
        {
            return PublishResult.OK;
        }

        @Override
        public int clientHistogramEntry(final long packedKey, final long count)
        {
            return PublishResult.OK;
        }

        @Override
        public void endMetric()
        {
        }
    }
}
