package mad.emit;

import mad.engine.metrics.CounterVisitor;
import mad.engine.output.PeriodicData;

/**
 * MAD's two-method sink: receives every closed bucket of its pipeline, then is closed once. Decorating sinks
 * (filters, dimension injection, fan-out) wrap others; terminal sinks hand data to I/O without blocking.
 *
 * <p>Thread ownership: called only from the pipeline's emitter thread. {@link PeriodicData} is valid only during
 * the call: a sink that queues must encode or copy first. A sink never throws into the emitter for bad data: it
 * rejects that bucket or series, counts and logs it.
 */
public interface Sink extends AutoCloseable
{
    /**
     * @param data one closed bucket.
     */
    void recordAggregateData(PeriodicData data);

    /**
     * Reports this sink's counters (and its nested sinks') for exposition, each labelled with the sink's name.
     *
     * @param visitor receives each counter.
     */
    default void visitCounters(final CounterVisitor visitor)
    {
    }

    /**
     * Flushes (within a bounded time) and releases resources.
     */
    @Override
    void close();
}
