package mad.engine.output;

/**
 * Receives closed buckets from {@link mad.engine.Engine#pollClosed}. Implemented by the emitter's root sink adapter.
 *
 * <p>Thread ownership: called on the emitter thread only; {@code data} is valid during the call only.
 */
@FunctionalInterface
public interface ClosedPeriodHandler
{
    /**
     * @param data one closed bucket.
     */
    void onPeriod(PeriodicData data);
}
