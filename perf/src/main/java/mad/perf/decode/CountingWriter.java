package mad.perf.decode;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleWriter;

/**
 * A {@link SampleWriter} that only counts, so a decoder benchmark measures the decoder alone.
 *
 * <p>Thread ownership: one benchmark thread.
 */
public final class CountingWriter implements SampleWriter
{
    long samples;

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
    }

    @Override
    public void dimension(
        final DirectBuffer name, final int nameOffset, final int nameLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
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
    public int beginMetric(
        final DirectBuffer name, final int offset, final int length, final MetricType type, final Unit unit)
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
