package mad.ingest.wrap;

import java.util.function.LongSupplier;

import mad.engine.config.Settings;
import mad.engine.sample.ForwardingSampleWriter;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.WriterFactory;

/**
 * MAD's TimeStampingSource as a {@link SampleWriter} decorator: every record is re-timed to "now" (epoch ms from the
 * clock) when it is written, and its request time is dropped; everything else passes through unchanged.
 *
 * <p>Thread ownership: one instance per producing thread; the clock must be safe to call from that thread.
 */
public final class TimeStampingWriter extends ForwardingSampleWriter
{
    private final LongSupplier clock;

    /**
     * @param delegate the writer records go to.
     * @param clock epoch milliseconds.
     */
    public TimeStampingWriter(final SampleWriter delegate, final LongSupplier clock)
    {
        super(delegate);
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
    public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
    {
        return delegate.beginRecordRepeating(clock.getAsLong(), SampleEvent.NO_REQUEST_TIME, dimensionsId);
    }
}
