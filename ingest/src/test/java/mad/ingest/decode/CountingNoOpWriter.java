package mad.ingest.decode;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleWriter;

/**
 * A SampleWriter that only counts values, for allocation tests.
 */
final class CountingNoOpWriter implements SampleWriter
{
    long values;

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
    }

    @Override
    public void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
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
    public int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType type,
        final Unit unit)
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
        values++;
        return PublishResult.OK;
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        values++;
        return PublishResult.OK;
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        values++;
        return PublishResult.OK;
    }

    @Override
    public void endMetric()
    {
    }
}
