package mad.ingest.decode;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleWriter;

/**
 * Records every writer call exactly (bytes as hex, chars as text, doubles as raw bits), so two decoders' outputs can
 * be compared for equality in the differential tests.
 */
final class DiffRecorder implements SampleWriter
{
    final List<String> calls = new ArrayList<>();

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        calls.add("record " + timestampMs + " " + requestTimeMs);
    }

    @Override
    public void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        calls.add("dim " + hex(nameBuffer, nameOffset, nameLength) + "=" + hex(valueBuffer, valueOffset, valueLength));
    }

    @Override
    public void dimension(final CharSequence name, final CharSequence value)
    {
        calls.add("dim " + name + "=" + value);
    }

    @Override
    public int endDimensions()
    {
        calls.add("endDims");
        return PublishResult.OK;
    }

    @Override
    public int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType type,
        final Unit unit)
    {
        calls.add("metric " + hex(nameBuffer, nameOffset, nameLength) + " " + type + " " + unit);
        return PublishResult.OK;
    }

    @Override
    public int beginMetric(final CharSequence name, final MetricType type, final Unit unit)
    {
        calls.add("metric " + name + " " + type + " " + unit);
        return PublishResult.OK;
    }

    @Override
    public int sample(final double value)
    {
        calls.add("sample " + Long.toHexString(Double.doubleToRawLongBits(value)) + " (" + value + ")");
        return PublishResult.OK;
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        calls.add("stats");
        return PublishResult.OK;
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        calls.add("hist");
        return PublishResult.OK;
    }

    @Override
    public void endMetric()
    {
        calls.add("endMetric");
    }

    private static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            out.append(String.format("%02x", buffer.getByte(offset + i) & 0xFF));
        }
        return out.toString();
    }
}
