package mad.ingest.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleWriter;

/**
 * Test fake: records every sample with its record's time and dimensions. Thread ownership: one test thread (the
 * transport tests read {@link #samples()} after the loop thread wrote, under the writer's monitor).
 */
public final class LineRecordingWriter implements SampleWriter
{
    /** One recorded sample. */
    public record Sample(long timeMs, TreeMap<String, String> dimensions, String name, MetricType type, Unit unit,
        double value)
    {
    }

    private final List<Sample> samples = new ArrayList<>();
    private long time;
    private TreeMap<String, String> dims = new TreeMap<>();
    private boolean duplicate;
    private String name;
    private MetricType type;
    private Unit unit;

    public synchronized List<Sample> samples()
    {
        return new ArrayList<>(samples);
    }

    @Override
    public synchronized void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        time = timestampMs;
        dims = new TreeMap<>();
        duplicate = false;
    }

    @Override
    public synchronized void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        dimension(text(nameBuffer, nameOffset, nameLength), text(valueBuffer, valueOffset, valueLength));
    }

    @Override
    public synchronized void dimension(final CharSequence dimName, final CharSequence value)
    {
        duplicate |= dims.put(dimName.toString(), value.toString()) != null;
    }

    @Override
    public synchronized int endDimensions()
    {
        return duplicate ? PublishResult.DUPLICATE_DIMENSION : PublishResult.OK;
    }

    @Override
    public synchronized int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType metricType,
        final Unit metricUnit)
    {
        return beginMetric(text(nameBuffer, nameOffset, nameLength), metricType, metricUnit);
    }

    @Override
    public synchronized int beginMetric(final CharSequence metricName, final MetricType metricType,
        final Unit metricUnit)
    {
        name = metricName.toString();
        type = metricType;
        unit = metricUnit;
        return PublishResult.OK;
    }

    @Override
    public synchronized int sample(final double value)
    {
        samples.add(new Sample(time, dims, name, type, unit, value));
        return PublishResult.OK;
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void endMetric()
    {
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
