package mad.engine.sample;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

/**
 * A {@link SampleWriter} that accepts everything and only counts, allocation-free: the sink of decoder benchmarks
 * and allocation tests, so they measure the decoder alone.
 *
 * <p>Thread ownership: one producing thread.
 */
public final class CountingSampleWriter implements SampleWriter
{
    private long samples;
    private long clientStatistics;
    private long histogramEntries;

    /**
     * @return {@link #sample} calls since creation or {@link #reset()}.
     */
    public long samples()
    {
        return samples;
    }

    /**
     * @return samples, client statistics and client histogram entries together.
     */
    public long values()
    {
        return samples + clientStatistics + histogramEntries;
    }

    /**
     * Zeroes the counters.
     */
    public void reset()
    {
        samples = 0;
        clientStatistics = 0;
        histogramEntries = 0;
    }

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
        samples++;
        return PublishResult.OK;
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        clientStatistics++;
        return PublishResult.OK;
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        histogramEntries++;
        return PublishResult.OK;
    }

    @Override
    public void endMetric()
    {
    }
}
