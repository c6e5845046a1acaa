package mad.ingest.wrap;

import java.util.function.LongSupplier;

import org.agrona.DirectBuffer;

import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.WriterFactory;

/**
 * MAD's TimeStampingSource as a {@link SampleWriter} decorator: every record is re-timed to "now" (epoch ms from the
 * clock) when it is written, and its request time is dropped; everything else passes through unchanged.
 *
 * <p>Thread ownership: one instance per producing thread; the clock must be safe to call from that thread.
 */
public final class TimeStampingWriter implements SampleWriter
{
    private final SampleWriter delegate;
    private final LongSupplier clock;

    /**
     * @param delegate the writer records go to.
     * @param clock epoch milliseconds.
     */
    public TimeStampingWriter(final SampleWriter delegate, final LongSupplier clock)
    {
        this.delegate = delegate;
        this.clock = clock;
    }

    /**
     * TimeStampingSource has no keys of its own; the nested {@code source} is bound by the caller.
     *
     * @param settings the TimeStampingSource's settings.
     * @param inner the factory of the writers re-timed records go to.
     * @return a factory of time-stamping writers using the system clock.
     */
    public static WriterFactory create(final Settings settings, final WriterFactory inner)
    {
        return factory(inner, System::currentTimeMillis);
    }

    /**
     * @param inner the factory of the writers re-timed records go to.
     * @param clock epoch milliseconds (a fake in tests).
     * @return a factory of time-stamping writers.
     */
    public static WriterFactory factory(final WriterFactory inner, final LongSupplier clock)
    {
        return backpressure -> new TimeStampingWriter(inner.create(backpressure), clock);
    }

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        delegate.beginRecord(clock.getAsLong(), SampleEvent.NO_REQUEST_TIME);
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
        return delegate.beginRecordRepeating(clock.getAsLong(), SampleEvent.NO_REQUEST_TIME, dimensionsId);
    }
}
