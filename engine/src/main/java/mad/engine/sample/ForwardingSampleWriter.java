package mad.engine.sample;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

/**
 * A {@link SampleWriter} that passes every call, the batch and repeat fast paths included, to a delegate: the base of
 * decorators that change one or two calls (TimeStampingSource re-times records; tests count calls), so none of them
 * drops a fast path by forgetting to forward it.
 *
 * <p>Thread ownership: as the delegate's (one producing thread).
 */
public abstract class ForwardingSampleWriter implements SampleWriter
{
    /** The writer every call goes to. */
    protected final SampleWriter delegate;

    /**
     * @param delegate the writer every call goes to.
     */
    protected ForwardingSampleWriter(final SampleWriter delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        delegate.beginRecord(timestampMs, requestTimeMs);
    }

    @Override
    public void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        delegate.dimension(nameBuffer, nameOffset, nameLength, valueBuffer, valueOffset, valueLength);
    }

    @Override
    public void dimension(final CharSequence name, final CharSequence value)
    {
        delegate.dimension(name, value);
    }

    @Override
    public int endDimensions()
    {
        return delegate.endDimensions();
    }

    @Override
    public int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType type,
        final Unit unit)
    {
        return delegate.beginMetric(nameBuffer, nameOffset, nameLength, type, unit);
    }

    @Override
    public int beginMetric(final CharSequence name, final MetricType type, final Unit unit)
    {
        return delegate.beginMetric(name, type, unit);
    }

    @Override
    public int sample(final double value)
    {
        return delegate.sample(value);
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        return delegate.clientStatistics(min, max, sum, count);
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        return delegate.clientHistogramEntry(packedKey, count);
    }

    @Override
    public void endMetric()
    {
        delegate.endMetric();
    }

    @Override
    public void beginBatch(final int expectedRecords)
    {
        delegate.beginBatch(expectedRecords);
    }

    @Override
    public void endBatch()
    {
        delegate.endBatch();
    }

    @Override
    public long dimensionsId()
    {
        return delegate.dimensionsId();
    }

    @Override
    public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
    {
        return delegate.beginRecordRepeating(timestampMs, requestTimeMs, dimensionsId);
    }
}
