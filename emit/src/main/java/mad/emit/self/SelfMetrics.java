package mad.emit.self;

/**
 * The process-wide self-instrumentation facility (mad-spec §8): components hand it finished {@link UnitOfWork}s,
 * or register a {@link PeriodicSource} polled once per second into one shared "periodic metrics" unit. The
 * implementation ships them to the daemon's {@code monitoringSinks} ({@link HttpSelfMetrics}); tests record them.
 *
 * <p>Thread ownership: every method is safe for any thread and never blocks on I/O; {@link #record} only queues.
 * Never call it per sample: it is meant for per-interval or per-request summaries.
 */
public interface SelfMetrics
{
    /** Discards everything: for tests and for contexts without self-instrumentation. */
    SelfMetrics NOOP = new SelfMetrics()
    {
        @Override
        public void record(final UnitOfWork unit)
        {
        }

        @Override
        public Registration addPeriodic(final PeriodicSource source)
        {
            return () ->
            {
            };
        }

        @Override
        public long nowMs()
        {
            return System.currentTimeMillis();
        }
    };

    /**
     * Queues a finished unit of work for every monitoring sink; when a sink's buffer is full its oldest unit is
     * dropped (and counted).
     *
     * @param unit the unit.
     */
    void record(UnitOfWork unit);

    /**
     * @param source called once per second (on the facility's timer thread) to add its samples to the periodic
     *        unit of work; must be quick and must not throw.
     * @return closes the registration (e.g. when a pipeline stops).
     */
    Registration addPeriodic(PeriodicSource source);

    /**
     * @return the facility's epoch-ms clock.
     */
    long nowMs();

    /**
     * A polled contributor to the periodic unit of work.
     */
    @FunctionalInterface
    interface PeriodicSource
    {
        /**
         * @param unit the periodic unit being built.
         */
        void collect(UnitOfWork.Builder unit);
    }

    /**
     * Undoes {@link #addPeriodic}.
     */
    @FunctionalInterface
    interface Registration extends AutoCloseable
    {
        @Override
        void close();
    }
}
