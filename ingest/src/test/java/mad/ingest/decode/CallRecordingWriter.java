package mad.ingest.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;

/**
 * A SampleWriter that records every call as a line of text, for asserting decoders' output; thread-safe so the HTTP
 * integration test can read it from the test thread. {@link #ringFullAfter(int)} makes it answer RING_FULL.
 */
public final class CallRecordingWriter implements SampleWriter
{
    private final List<String> calls = new ArrayList<>();
    private int valuesBeforeFull = Integer.MAX_VALUE;

    public synchronized List<String> calls()
    {
        return new ArrayList<>(calls);
    }

    public synchronized void clear()
    {
        calls.clear();
    }

    public synchronized CallRecordingWriter ringFullAfter(final int values)
    {
        valuesBeforeFull = values;
        return this;
    }

    @Override
    public synchronized void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        calls.add("record " + timestampMs + " " + (requestTimeMs == SampleEvent.NO_REQUEST_TIME ? "-" : requestTimeMs));
    }

    @Override
    public synchronized void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        calls.add("dim " + nameBuffer.getStringWithoutLengthUtf8(nameOffset, nameLength) + "="
            + valueBuffer.getStringWithoutLengthUtf8(valueOffset, valueLength));
    }

    @Override
    public synchronized void dimension(final CharSequence name, final CharSequence value)
    {
        calls.add("dim " + name + "=" + value);
    }

    @Override
    public synchronized int endDimensions()
    {
        calls.add("endDims");
        return PublishResult.OK;
    }

    @Override
    public synchronized int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType type,
        final Unit unit)
    {
        final byte[] bytes = new byte[nameLength];
        nameBuffer.getBytes(nameOffset, bytes);
        return beginMetric(new String(bytes, StandardCharsets.UTF_8), type, unit);
    }

    @Override
    public synchronized int beginMetric(final CharSequence name, final MetricType type, final Unit unit)
    {
        calls.add("metric " + name + " " + type + " " + unit);
        return PublishResult.OK;
    }

    @Override
    public synchronized int sample(final double value)
    {
        if (valuesBeforeFull-- <= 0)
        {
            return PublishResult.RING_FULL;
        }
        calls.add("sample " + value);
        return PublishResult.OK;
    }

    @Override
    public synchronized int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        if (valuesBeforeFull-- <= 0)
        {
            return PublishResult.RING_FULL;
        }
        calls.add("stats " + min + " " + max + " " + sum + " " + count);
        return PublishResult.OK;
    }

    @Override
    public synchronized int clientHistogramEntry(final long packedKey, final long count)
    {
        calls.add("bucket " + packedKey + " " + count);
        return PublishResult.OK;
    }

    @Override
    public synchronized void endMetric()
    {
        calls.add("end");
    }
}
